package dev.pond.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true)
public final class GenerateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}

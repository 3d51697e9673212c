package dev.pond.ops;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What the tests of the ops scripts need around them: the tools on the PATH, and free ports. */
final class OpsScripts {

    private OpsScripts() {
    }

    /** Whether {@code tool} is an executable on the PATH. */
    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return Arrays.stream(path == null ? new String[0] : path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d).resolve(tool)));
    }

    /** A port that nothing on localhost listens on now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", 0));
            return s.getLocalPort();
        }
    }
}

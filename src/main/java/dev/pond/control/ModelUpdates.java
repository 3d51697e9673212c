package dev.pond.control;

import dev.pond.model.Model;
import dev.pond.model.ModelLoader;

/**
 * What a model update means: its content read as a model file, checked against its envelope.
 * Plain Java, used where an update is published ({@code pond publish-model}), where the job
 * accepts or rejects it, and where the scoring operator installs it.
 */
public final class ModelUpdates {

    private ModelUpdates() {}

    /**
     * The model {@code update} carries.
     *
     * @throws IllegalArgumentException saying what is wrong (without the update's version, which
     *     the caller names): no version or author, content that is not a valid model file, or a
     *     content whose own version differs from the update's
     */
    public static Model model(ModelUpdate update) {
        String version = update.getVersion();
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("the update has no version");
        }
        if (update.getAuthor() == null || update.getAuthor().isBlank()) {
            throw new IllegalArgumentException("it names no author");
        }
        Model model = ModelLoader.fromYaml(update.getContent(), "model update " + version);
        if (!model.version().equals(version)) {
            throw new IllegalArgumentException("it carries a model whose version is " + model.version()
                    + "; publish it under that version");
        }
        return model;
    }
}

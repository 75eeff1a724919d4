package dev.correlator.change;

import java.util.regex.Pattern;

/** A ref as GitHub writes it in a push ({@code refs/heads/main}), split into type and name. */
public record GitRef(String type, String name) {

    public static final String NULL_SHA = "0000000000000000000000000000000000000000";

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    public static GitRef parse(String ref) {
        if (ref.startsWith("refs/heads/")) {
            return new GitRef("branch", ref.substring("refs/heads/".length()));
        }
        if (ref.startsWith("refs/tags/")) {
            return new GitRef("tag", ref.substring("refs/tags/".length()));
        }
        return new GitRef("other", ref);
    }

    public boolean branch() {
        return type.equals("branch");
    }

    public static boolean isSha(String text) {
        return text != null && SHA.matcher(text).matches();
    }

    public static boolean isNull(String sha) {
        return sha == null || NULL_SHA.equals(sha);
    }
}

package dev.correlator.change;

/** A ref as GitHub writes it in a push ({@code refs/heads/main}), split into type and name. */
public record GitRef(String type, String name) {

    public static final String NULL_SHA = "0000000000000000000000000000000000000000";

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
        if (text == null || text.length() != 40) {
            return false;
        }
        for (int i = 0; i < 40; i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    public static boolean isNull(String sha) {
        return sha == null || NULL_SHA.equals(sha);
    }
}

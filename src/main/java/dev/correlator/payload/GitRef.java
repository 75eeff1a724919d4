package dev.correlator.payload;

import java.nio.charset.StandardCharsets;

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

    /** The longest branch name taken, in UTF-8 bytes (git's own limit is the file system's, 255 on most). */
    public static final int MAX_NAME_BYTES = 255;

    /**
     * Why {@code name} is not a branch name git would create (the rules of git check-ref-format
     * --branch), or null when it is one: no "..", no control character, space or any of ~ ^ : ? * [
     * and backslash, no "@{", not "@" alone, not starting with "-" or "/", not ending with "/" or
     * ".", no "//", no component starting with "." or ending with ".lock", and at most
     * {@link #MAX_NAME_BYTES} bytes of well-formed UTF-8.
     */
    public static String branchNameProblem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return "contains a control character";
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c)
                        && i + 1 < name.length()
                        && Character.isLowSurrogate(name.charAt(i + 1));
                if (!paired) {
                    return "is not well-formed UTF-8";
                }
                i++;
                continue;
            }
            if (" ~^:?*[\\".indexOf(c) >= 0) {
                return "contains '" + c + "'";
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "is longer than " + MAX_NAME_BYTES + " bytes";
        }
        if (name.contains("..")) {
            return "contains '..'";
        }
        if (name.contains("@{")) {
            return "contains '@{'";
        }
        if (name.equals("@")) {
            return "is '@'";
        }
        if (name.startsWith("-")) {
            return "starts with '-'";
        }
        if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            return "has an empty component";
        }
        if (name.endsWith(".")) {
            return "ends with '.'";
        }
        for (String component : name.split("/")) {
            if (component.startsWith(".")) {
                return "has a component starting with '.'";
            }
            if (component.endsWith(".lock")) {
                return "has a component ending with '.lock'";
            }
        }
        return null;
    }

    public static boolean isNull(String sha) {
        return sha == null || NULL_SHA.equals(sha);
    }
}

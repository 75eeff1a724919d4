package dev.correlator.comment;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text from commits and people (titles, author names, logins, Codespace names) made inert for
 * GitHub-flavoured Markdown, and link destinations that cannot end early.
 *
 * <p>
 * Every such value becomes a code span: GitHub neither mentions (@user, @org/team), references
 * (#1, owner/repo#1, a sha), autolinks (https://…, www.…), embeds, emphasises nor decodes entities
 * in code. Backslash escapes would not do: they leave bare URLs and mentions live. The fence is
 * one backtick longer than any run inside, so the text cannot close it; what could end the
 * table cell (a line break, a pipe) or hide in it (zero-width and bidi characters) is taken care
 * of first.
 */
final class CommentMarkdown {

    /** Format characters: zero-width spaces and joiners, bidi overrides, soft hyphens. */
    private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}");

    private static final Pattern LINE_BREAKING = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]+");
    // In a table a backslash escapes the next character, even inside code: before a pipe it would
    // turn the pipe's own escape into an escaped backslash and end the cell there.
    private static final Pattern BACKSLASHES_BEFORE_PIPE = Pattern.compile("\\\\+(?=\\|)");
    private static final Pattern BACKTICKS = Pattern.compile("`+");

    /** GitHub's login grammar: letters, digits and hyphens, not starting with a hyphen, at most 39. */
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}");

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private CommentMarkdown() {}

    /** The text as a code span that stays in its table cell; blank text as {@code fallback}, which is trusted. */
    static String code(String text, String fallback) {
        String flat = text == null
                ? ""
                : LINE_BREAKING
                        .matcher(INVISIBLE.matcher(text).replaceAll(""))
                        .replaceAll(" ")
                        .strip();
        if (flat.isEmpty()) {
            return fallback;
        }
        flat = BACKSLASHES_BEFORE_PIPE.matcher(flat).replaceAll("").replace("|", "\\|");
        int longest = 0;
        Matcher run = BACKTICKS.matcher(flat);
        while (run.find()) {
            longest = Math.max(longest, run.group().length());
        }
        String fence = "`".repeat(longest + 1);
        // A code span drops one space on each side, which lets its text start or end with a backtick.
        String pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
        return fence + pad + flat + pad + fence;
    }

    /** Whether a login can be linked as it is: GitHub's grammar allows nothing Markdown reads. */
    static boolean login(String login) {
        return login != null && LOGIN.matcher(login).matches();
    }

    /**
     * A link destination that cannot close its parentheses or its table cell: what is not a URL
     * character, or could end the link ({@code ( ) < >}, a space) or the cell ({@code |}), is
     * percent-encoded.
     */
    static String destination(String url) {
        StringBuilder encoded = new StringBuilder(url.length());
        for (byte b : url.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && "()<>|\\`\"^{}[]".indexOf(c) < 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX.toHexDigits(b));
            }
        }
        return encoded.toString();
    }
}

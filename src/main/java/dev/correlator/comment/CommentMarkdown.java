package dev.correlator.comment;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.qute.TemplateExtension;

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
 *
 * <p>
 * These are the comment template's extensions ({@code {row.message.headline.code('–')}}): the
 * template lays the comment out, these make each value safe where it stands.
 */
@TemplateExtension
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

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private static final int HEADLINE_LENGTH = 72;

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

    /**
     * A person as the comment shows them: a login links to the profile (link text is not searched
     * for mentions, so its owner is not notified), a bot says so, a name stands alone; all but
     * the link as code.
     */
    static String credit(PullRequestCommentRenderer.Person person, String host) {
        if (person.login() == null) {
            return code(person.name(), "unknown");
        }
        if (person.bot()) {
            return code(person.login(), "unknown") + " (bot)";
        }
        if (!LOGIN.matcher(person.login()).matches()) {
            return code(person.login(), "unknown"); // not GitHub's: not linked
        }
        // GitHub's login grammar allows nothing Markdown reads: the login stands as it is.
        return "[@" + person.login() + "](" + destination(host + "/" + person.login()) + ")";
    }

    /** A commit message's first line, cut to fit a table. */
    static String headline(String message) {
        String first =
                message == null ? "" : message.lines().findFirst().orElse("").strip();
        return first.length() <= HEADLINE_LENGTH ? first : first.substring(0, HEADLINE_LENGTH - 1) + "…";
    }

    /** When, to the minute, in UTC: the comment is read in every time zone. */
    static String minuteUtc(Instant instant) {
        return MINUTE.format(instant);
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

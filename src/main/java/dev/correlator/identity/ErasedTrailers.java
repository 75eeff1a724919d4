package dev.correlator.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Co-authored-by} and {@code Signed-off-by} lines of a commit message that name a
 * person by e-mail: an erased person's lines are taken out of the message the App stores.
 */
public final class ErasedTrailers {

    private static final Pattern TRAILER = Pattern.compile(
            "^[ \\t]*(?:co-authored-by|signed-off-by):[^\\n<]*<([^<>\\s]+@[^<>\\s]+)>[ \\t]*\\r?(?:\\n|$)",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    /** Whether an e-mail (lower-cased) belongs to an erased person. */
    @FunctionalInterface
    public interface Erased {
        boolean email(String email);
    }

    private ErasedTrailers() {}

    /** The e-mails the message's trailers name, lower-cased. */
    public static List<String> emails(String message) {
        List<String> emails = new ArrayList<>();
        if (mentionsTrailer(message)) {
            Matcher matcher = TRAILER.matcher(message);
            while (matcher.find()) {
                emails.add(matcher.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return emails;
    }

    /** The message without the trailer lines that name an erased e-mail; the same string when none does. */
    public static String remove(String message, Erased erased) {
        if (!mentionsTrailer(message)) {
            return message;
        }
        Matcher matcher = TRAILER.matcher(message);
        StringBuilder kept = null;
        int from = 0;
        while (matcher.find()) {
            if (erased.email(matcher.group(1).toLowerCase(Locale.ROOT))) {
                kept = kept == null ? new StringBuilder(message.length()) : kept;
                kept.append(message, from, matcher.start());
                from = matcher.end();
            }
        }
        if (kept == null) {
            return message;
        }
        String rest = kept.append(message, from, message.length()).toString();
        // A removed last line leaves the line break before it.
        return rest.endsWith("\n") && !message.endsWith("\n") ? rest.stripTrailing() : rest;
    }

    // Most messages have no trailer: no regex for them (the intake's profiles show regexes).
    private static boolean mentionsTrailer(String message) {
        if (message == null) {
            return false;
        }
        for (int i = message.indexOf('-'); i >= 0; i = message.indexOf('-', i + 1)) {
            if (message.regionMatches(true, i, "-by:", 0, 4)) {
                return true;
            }
        }
        return false;
    }
}

package dev.correlator.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code Co-authored-by: Name <email>} trailers GitHub itself recognises in a commit message. */
public final class CoAuthorTrailers {

    private static final Pattern TRAILER = Pattern.compile(
            "^\\s*co-authored-by:\\s*(.*?)\\s*<([^<>\\s]+@[^<>\\s]+)>\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    public record CoAuthor(String name, String email) {}

    private CoAuthorTrailers() {}

    private static final String MARK = "co-authored-by";

    // Hyphens are rare in prose, and String.indexOf(char) is fast: check the mark around each.
    private static boolean mentionsCoAuthor(String message) {
        for (int i = message.indexOf('-', 2); i >= 0; i = message.indexOf('-', i + 1)) {
            if (message.regionMatches(true, i - 2, MARK, 0, MARK.length())) {
                return true;
            }
        }
        return false;
    }

    /** Distinct by e-mail (lower-cased), in the order they appear. */
    public static List<CoAuthor> parse(String message) {
        if (message == null || !mentionsCoAuthor(message)) {
            return List.of(); // most messages: no regex at all (it showed in intake profiles)
        }
        Map<String, CoAuthor> byEmail = new LinkedHashMap<>();
        Matcher matcher = TRAILER.matcher(message);
        while (matcher.find()) {
            String email = matcher.group(2).toLowerCase(Locale.ROOT);
            String name = matcher.group(1).isBlank() ? null : matcher.group(1);
            byEmail.putIfAbsent(email, new CoAuthor(name, email));
        }
        return new ArrayList<>(byEmail.values());
    }
}

package dev.correlator.identity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's private commit e-mails: {@code ID+login@users.noreply.github.com} (since 2017) and
 * the older {@code login@users.noreply.github.com}. They name the account that made the commit.
 */
public record NoreplyAddress(Long githubId, String login) {

    // Case-insensitive, and the login keeps the case it has: comparing it with the login an event
    // carries must not see a rename where there is none. The id is at most 18 digits, so that any
    // number in commit text fits a long.
    private static final Pattern FORM = Pattern.compile(
            "^(?:(\\d{1,18})\\+)?([a-z0-9](?:[a-z0-9-]{0,38})(?:\\[bot\\])?)@users\\.noreply\\.github\\.com$",
            Pattern.CASE_INSENSITIVE);

    public static Optional<NoreplyAddress> parse(String email) {
        if (email == null) {
            return Optional.empty();
        }
        Matcher matcher = FORM.matcher(email.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Long id = matcher.group(1) == null ? null : Long.valueOf(matcher.group(1));
        return Optional.of(new NoreplyAddress(id, matcher.group(2)));
    }
}

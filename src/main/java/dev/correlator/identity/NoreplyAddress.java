package dev.correlator.identity;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's private commit e-mails: {@code ID+login@users.noreply.github.com} (since 2017) and
 * the older {@code login@users.noreply.github.com}. They name the account that made the commit.
 */
public record NoreplyAddress(Long githubId, String login) {

    private static final Pattern FORM = Pattern.compile(
            "^(?:(\\d+)\\+)?([a-z0-9](?:[a-z0-9-]{0,38})(?:\\[bot\\])?)@users\\.noreply\\.github\\.com$");

    public static Optional<NoreplyAddress> parse(String email) {
        if (email == null) {
            return Optional.empty();
        }
        Matcher matcher = FORM.matcher(email.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Long id = matcher.group(1) == null ? null : Long.valueOf(matcher.group(1));
        return Optional.of(new NoreplyAddress(id, matcher.group(2)));
    }
}

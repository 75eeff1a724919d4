package dev.correlator.payload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Reads GitHub payloads strictly: a field of the wrong type (a string where GitHub sends a
 * number, an object where it sends a list) is an error, not something to coerce.
 */
@ApplicationScoped
public class WebhookPayloadReader {

    private final ObjectMapper mapper = createMapper();

    public <T> T read(byte[] body, Class<T> type) {
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new MalformedPayloadException("the body is JSON null, not an object");
            }
            return value;
        } catch (MismatchedInputException e) {
            throw new MalformedPayloadException(
                    "field " + path(e) + " has the wrong type: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedPayloadException("the body is not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    public <T> T read(String json, Class<T> type) {
        return read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(root)" : "'" + path + "'";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static ObjectMapper createMapper() {
        SimpleModule times = new SimpleModule("github-times");
        times.addDeserializer(Instant.class, new GitHubInstantDeserializer());
        JsonMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(times)
                .build();
        for (LogicalType type :
                new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Boolean, LogicalType.Float}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(
                            CoercionInputShape.Integer,
                            type == LogicalType.Integer ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(
                            CoercionInputShape.Float,
                            type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(
                            CoercionInputShape.Boolean,
                            type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return mapper;
    }

    /**
     * GitHub writes times as ISO-8601 with an offset, except in push events where
     * repository.created_at and pushed_at are Unix seconds.
     */
    static final class GitHubInstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT) {
                return Instant.ofEpochSecond(parser.getLongValue());
            }
            if (token == JsonToken.VALUE_STRING) {
                String text = parser.getText();
                Instant quick = quickParse(text);
                if (quick != null) {
                    return quick;
                }
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 time");
                }
            }
            return (Instant) context.handleUnexpectedToken(Instant.class, parser);
        }

        /**
         * The forms GitHub writes, "2026-11-20T09:14:03Z" and "2026-11-20T09:14:03+01:00",
         * read without a DateTimeFormatter (a push carries three per commit, and the formatter
         * showed in intake profiles). Anything else returns null and takes the general path.
         */
        static Instant quickParse(String t) {
            int n = t.length();
            if ((n != 20 && n != 25)
                    || t.charAt(4) != '-'
                    || t.charAt(7) != '-'
                    || t.charAt(10) != 'T'
                    || t.charAt(13) != ':'
                    || t.charAt(16) != ':') {
                return null;
            }
            int offsetSeconds;
            if (n == 20) {
                if (t.charAt(19) != 'Z') {
                    return null;
                }
                offsetSeconds = 0;
            } else {
                char sign = t.charAt(19);
                if ((sign != '+' && sign != '-') || t.charAt(22) != ':') {
                    return null;
                }
                int hours = digits(t, 20, 22);
                int minutes = digits(t, 23, 25);
                if (hours < 0 || minutes < 0) {
                    return null;
                }
                offsetSeconds = (sign == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
            }
            int year = digits(t, 0, 4);
            int month = digits(t, 5, 7);
            int day = digits(t, 8, 10);
            int hour = digits(t, 11, 13);
            int minute = digits(t, 14, 16);
            int second = digits(t, 17, 19);
            if (year < 0
                    || month < 1
                    || month > 12
                    || day < 1
                    || day > 31
                    || hour < 0
                    || hour > 23
                    || minute < 0
                    || minute > 59
                    || second < 0
                    || second > 59) {
                return null;
            }
            try {
                long days = LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(days * 86400 + hour * 3600L + minute * 60L + second - offsetSeconds);
            } catch (DateTimeException e) {
                return null; // 31 February and the like: let the general path report it
            }
        }

        private static int digits(String text, int from, int to) {
            int value = 0;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }
}

package dev.correlator.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A request written byte by byte on a socket, for what an HTTP client library will not send: a
 * Content-Length that the body never reaches, a body held back half-way, chunks past a limit.
 */
public final class RawHttp implements AutoCloseable {

    /** Longer than any answer given from the headers should take, even on a busy machine. */
    public static final int PATIENCE_MILLIS = 10_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RawHttp() throws IOException {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        socket = new Socket("localhost", port);
        socket.setSoTimeout(PATIENCE_MILLIS);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** The request line, the headers (each "Name: value") and the blank line after them. */
    public RawHttp head(String method, String path, String... headers) throws IOException {
        StringBuilder head =
                new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return send(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    }

    public RawHttp patience(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawHttp chunk(byte[] bytes) throws IOException {
        send((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        send(bytes);
        return send("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** What the server answered; fails with SocketTimeoutException when it does not answer in time. */
    public Answer answer() throws IOException {
        String status = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server closed the connection after its answer (rather than wait for the rest of the body). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed before the answer was complete");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public record Answer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a tracing backend: answers 200 to {@code POST /v1/traces} (OTLP/HTTP) and only
 * counts requests and bytes, so that the benchmark measures what exporting costs the App, not
 * what a backend costs. {@code GET /stats} says {"requests":N,"bytes":N}. Every other request
 * gets 404: the App's GitHub endpoints point here during the benchmark, so that nothing leaves
 * the machine.
 *
 * <pre>java bench/OtlpSink.java PORT</pre>
 */
public class OtlpSink {

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 4318;
        AtomicLong requests = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                long read = drain(exchange.getRequestBody());
                if ("POST".equals(exchange.getRequestMethod()) && path.equals("/v1/traces")) {
                    requests.incrementAndGet();
                    bytes.addAndGet(read);
                    // An empty ExportTraceServiceResponse: no partial success to report.
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, -1);
                } else if ("GET".equals(exchange.getRequestMethod()) && path.equals("/stats")) {
                    byte[] body = ("{\"requests\":" + requests.get() + ",\"bytes\":" + bytes.get() + ",\"refused\":"
                                    + refused.get() + "}\n")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                } else {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
        System.out.println("OTLP sink on 127.0.0.1:" + port);
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[65536];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
        }
        return total;
    }
}

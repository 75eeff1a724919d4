import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A first reading of the packaged App (not the full benchmark of bench/README.md):
 * latency from request to 2xx of push deliveries with 20 commits, sent one at a time, and
 * of commit lookups by full sha once 100,000 commits are stored.
 *
 * Usage: java bench/FirstReading.java URL SECRET API_TOKEN [pushes] [commits-to-store]
 * Generates every payload and signature; shas and delivery ids never repeat.
 */
public class FirstReading {

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String url;
    static String secret;
    static String token;

    public static void main(String[] args) throws Exception {
        url = args[0];
        secret = args[1];
        token = args[2];
        int pushes = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int stored = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;

        // Warm-up: JIT and connection pool, not measured.
        for (int i = 0; i < 200; i++) {
            push(20, i % 50);
        }

        List<String> shas = new ArrayList<>();
        long[] pushNanos = new long[pushes];
        for (int i = 0; i < pushes; i++) {
            long start = System.nanoTime();
            shas.addAll(push(20, i % 300));
            pushNanos[i] = System.nanoTime() - start;
        }
        report("push delivery, 20 commits, sequential", pushNanos);

        // Fill up to the wanted number of commits, four connections at a time.
        int missing = Math.max(0, stored - 20 * (pushes + 200));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> loads = new ArrayList<>();
        for (int i = 0; i < missing / 20; i++) {
            int developer = i % 300;
            loads.add(pool.submit(() -> push(20, developer)));
        }
        for (Future<List<String>> load : loads) {
            shas.addAll(load.get());
        }
        pool.shutdown();
        System.out.printf("stored about %d commits%n", 20 * (pushes + 200) + 20 * (missing / 20));

        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            lookup(shas.get(random.nextInt(shas.size())));
        }
        long[] lookupNanos = new long[1000];
        for (int i = 0; i < lookupNanos.length; i++) {
            String sha = shas.get(random.nextInt(shas.size()));
            long start = System.nanoTime();
            lookup(sha);
            lookupNanos[i] = System.nanoTime() - start;
        }
        report("GET /api/v1/commits/{sha}, sequential", lookupNanos);
    }

    static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "%s: n=%d median=%.2f ms p99=%.2f ms max=%.2f ms%n",
                what,
                sorted.length,
                sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    static void lookup(String sha) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/api/v1/commits/" + sha))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("lookup answered " + response.statusCode() + ": " + response.body());
        }
    }

    static List<String> push(int commits, int developer) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<String> shas = new ArrayList<>();
        StringBuilder list = new StringBuilder();
        String login = "dev-" + developer;
        String before = sha(random);
        for (int i = 0; i < commits; i++) {
            String sha = sha(random);
            shas.add(sha);
            list.append(i == 0 ? "" : ",").append("""
                    {"id":"%s","tree_id":"%s","distinct":true,"message":"Change %d of a busy day\\n\\nBody text.",
                     "timestamp":"%s","url":"https://github.com/bench-org/service-%d/commit/%s",
                     "author":{"name":"Developer %d","email":"%s@bench.example","username":"%s"},
                     "committer":{"name":"Developer %d","email":"%s@bench.example","username":"%s"},
                     "added":[],"removed":[],"modified":["src/App.java"]}""".formatted(
                            sha,
                            sha(random),
                            i,
                            Instant.now(),
                            developer % 40,
                            sha,
                            developer,
                            login,
                            login,
                            developer,
                            login,
                            login));
        }
        String body = """
                {"ref":"refs/heads/feature/f-%d","before":"%s","after":"%s","created":false,"deleted":false,
                 "forced":false,"base_ref":null,"compare":"https://github.com/bench-org/service-%d/compare/x",
                 "commits":[%s],"head_commit":null,
                 "repository":{"id":%d,"name":"service-%d","full_name":"bench-org/service-%d","private":true,
                   "owner":{"login":"bench-org","id":1,"type":"Organization"},
                   "html_url":"https://github.com/bench-org/service-%d","default_branch":"main",
                   "pushed_at":%d},
                 "pusher":{"name":"%s","email":"%s@bench.example"},
                 "sender":{"login":"%s","id":%d,"type":"User"},
                 "installation":{"id":1}}""".formatted(
                        developer % 25,
                        before,
                        shas.get(commits - 1),
                        developer % 40,
                        list,
                        1000 + developer % 40,
                        developer % 40,
                        developer % 40,
                        developer % 40,
                        Instant.now().getEpochSecond(),
                        login,
                        login,
                        login,
                        50_000 + developer);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/webhooks/github"))
                        .header("Content-Type", "application/json")
                        .header("X-GitHub-Event", "push")
                        .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                        .header("X-Hub-Signature-256", sign(bytes))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("push answered " + response.statusCode() + ": " + response.body());
        }
        return shas;
    }

    static String sha(ThreadLocalRandom random) {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String sign(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load generator for the change correlator (JDK 17 single-file program, no dependencies).
 *
 * <pre>
 * java bench/load/LoadGenerator.java intake --url http://127.0.0.1:8089 [--path /webhooks/github]
 *      --secret bench-secret --concurrency 16 (--duration 20 | --count 5000) [--warmup 5]
 *      [--pr-share 0.1] [--seed 1] [--pool 2000] [--recycle] [--label text] [--workload mixed|small]
 * java bench/load/LoadGenerator.java lookup --url http://127.0.0.1:8089 --token bench-token
 *      --concurrency 16 (--duration 20 | --count 5000) [--warmup 5] [--rate 400] --kind sha|prefix|branch --input FILE
 * java bench/load/LoadGenerator.java payloads --count 200 --commits 10 --out FILE.sql   (pgbench bodies)
 * java bench/load/LoadGenerator.java world-sql --out FILE.sql   (repositories, developers, branches)
 * java bench/load/LoadGenerator.java sample [--event push|pull_request] [--commits 3] [--workload small]
 *      (one body on stdout, its signature on stderr)
 * </pre>
 *
 * Payloads are generated: a fixed "world" of one organisation with ~40 repositories, ~300
 * branches and ~400 developers (the same in every run, so identities stay consistent), and
 * per delivery fresh random 40-hex shas, 1 to 20 commits, realistic messages, some
 * Co-authored-by trailers (--workload mixed, the default; --workload small: pushes only, 5 commits
 * each with one-line messages and no file lists, about 4 KB). Bodies and signatures are made before the timed phase (a pool of
 * --pool deliveries, each sent once, so no sha is sent twice; size it for the whole run, since
 * a worker that finds it empty makes its body itself and the run counts a stall); with
 * --recycle the pool is cycled instead (for the do-nothing baseline, which discards bodies). Every request gets a new delivery id (UUID.randomUUID()).
 *
 * Prints a human summary, then one line: RESULT {json} with times in milliseconds.
 */
public class LoadGenerator {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoadGenerator intake|lookup|payloads|world-sql|sample [--option value ...]");
            System.exit(2);
        }
        Options options = new Options(args);
        switch (args[0]) {
            case "intake" -> intake(options);
            case "lookup" -> lookup(options);
            case "payloads" -> payloads(options);
            case "world-sql" -> worldSql(options);
            case "sample" -> sample(options);
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
    }

    // ==== intake ==============================================================================

    static void intake(Options o) throws Exception {
        String url = o.get("url", "http://127.0.0.1:8089");
        String path = o.get("path", "/webhooks/github");
        String secret = o.require("secret");
        int concurrency = o.integer("concurrency", 1);
        double prShare = o.decimal("pr-share", 0.1);
        long seed = o.longValue("seed", System.nanoTime());
        int pool = o.integer("pool", 2000);
        boolean recycle = o.flag("recycle");
        String workload = o.get("workload", "mixed");
        URI target = URI.create(url + path);

        Payloads payloads = new Payloads(new World(), seed, secret);
        switch (workload) {
            case "mixed" -> {}
            case "small" -> {
                payloads.small = true;
                prShare = 0;
            }
            default -> throw new IllegalArgumentException("--workload is mixed or small");
        }
        DeliverySource source =
                recycle ? new RecycledSource(payloads, pool, prShare) : new FreshSource(payloads, pool, prShare);

        Run run = new Run("intake", o, concurrency);
        run.label = o.get("label", path);
        run.execute(worker -> {
            Delivery d = source.next(worker);
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "GitHub-Hookshot/bench")
                    .header("X-GitHub-Event", d.event)
                    .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                    .header("X-GitHub-Hook-ID", "1")
                    .header("X-GitHub-Hook-Installation-Target-Type", "integration")
                    .header("X-GitHub-Hook-Installation-Target-ID", "1")
                    .header("X-Hub-Signature-256", d.signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body))
                    .build();
            worker.send(request, d.event.equals("push") ? Sample.PUSH : Sample.PULL_REQUEST, d.commits, d.body.length);
        });
        source.close();
        run.extra.put("generatorStalls", source.stalls());
        run.extra.put("generatorStallMs", Math.round(source.stallNanos() / 1e6));
        run.extra.put("recycledBodies", recycle);
        run.extra.put("workload", workload);
        run.report();
    }

    // ==== lookup ==============================================================================

    static final Pattern NEXT_CURSOR = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");

    static void lookup(Options o) throws Exception {
        String url = o.get("url", "http://127.0.0.1:8089");
        String token = o.require("token");
        int concurrency = o.integer("concurrency", 16);
        String kind = o.get("kind", "sha");
        int pages = o.integer("pages", 3);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(o.require("input")))) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no lines in " + o.require("input"));
        }
        Run run = new Run("lookup", o, concurrency);
        run.label = kind;
        run.extra.put("kind", kind);
        run.execute(worker -> {
            String line = lines.get(ThreadLocalRandom.current().nextInt(lines.size()));
            switch (kind) {
                case "sha", "prefix" -> {
                    String sha = kind.equals("sha") ? line : line.substring(0, 12);
                    worker.send(get(url + "/api/v1/commits/" + sha, token), Sample.LOOKUP, 0, 0);
                }
                case "branch" -> {
                    int space = line.indexOf(' ');
                    String repo = line.substring(0, space);
                    String branch = line.substring(space + 1);
                    String base = url + "/api/v1/repos/" + repo + "/commits?limit=100&branch="
                            + URLEncoder.encode(branch, StandardCharsets.UTF_8);
                    String cursor = null;
                    for (int page = 0; page < pages; page++) {
                        if (page > 0 && !worker.running()) {
                            break;
                        }
                        String body = worker.send(
                                get(
                                        base
                                                + (cursor == null
                                                        ? ""
                                                        : "&cursor="
                                                                + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                                        token),
                                Sample.LOOKUP,
                                0,
                                0);
                        if (body == null) {
                            break;
                        }
                        Matcher next = NEXT_CURSOR.matcher(body);
                        if (!next.find()) {
                            break;
                        }
                        cursor = next.group(1);
                    }
                }
                default -> throw new IllegalArgumentException("--kind is sha, prefix or branch");
            }
        });
        run.report();
    }

    static HttpRequest get(String uri, String token) {
        return HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET()
                .build();
    }

    // ==== payloads for pgbench, world SQL, samples ===========================================

    /** INSERTs of generated push bodies (bytea) into bench_payload, for the pgbench baseline. */
    static void payloads(Options o) throws Exception {
        int count = o.integer("count", 200);
        int commits = o.integer("commits", 10);
        Payloads payloads = new Payloads(new World(), o.longValue("seed", 7), "unused");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(o.require("out"))))) {
            out.println("create table if not exists bench_payload (id integer primary key, body bytea not null);");
            out.println("truncate bench_payload;");
            long bytes = 0;
            for (int i = 1; i <= count; i++) {
                byte[] body = payloads.push(commits).body;
                bytes += body.length;
                out.printf(
                        "insert into bench_payload values (%d, decode('%s', 'base64'));%n",
                        i, Base64.getEncoder().encodeToString(body));
            }
            System.err.printf("wrote %d push bodies of %d commits, mean %d bytes%n", count, commits, bytes / count);
        }
    }

    /** The world's repositories, developers and branches as SQL (for bulk loads and pgbench). */
    static void worldSql(Options o) throws Exception {
        World world = new World();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(o.require("out"))))) {
            out.println(
                    "-- Generated by LoadGenerator world-sql: the bench world's repositories, developers and branches.");
            out.println("create temp table bench_branch (repository_id bigint, full_name text, branch text);");
            for (Repo r : world.repos) {
                out.printf(
                        "insert into repository (id, installation_id, owner_id, owner_login, name, full_name, html_url,"
                                + " default_branch, private, updated_at) values (%d, 1, %d, '%s', '%s', '%s', '%s', 'main', true, now())"
                                + " on conflict (id) do nothing;%n",
                        r.id, World.ORG_ID, World.ORG, r.name, r.fullName, "https://github.com/" + r.fullName);
            }
            for (Dev d : world.devs) {
                out.printf(
                        "insert into developer (github_id, login, name, bot, updated_at) values (%d, '%s', '%s', %s, now())"
                                + " on conflict do nothing;%n",
                        d.id, d.login, d.name.replace("'", "''"), d.bot);
            }
            for (Branch b : world.branches) {
                out.printf("insert into bench_branch values (%d, '%s', '%s');%n", b.repo.id, b.repo.fullName, b.name);
            }
        }
    }

    static void sample(Options o) {
        Payloads payloads = new Payloads(new World(), o.longValue("seed", 1), o.get("secret", "bench-secret"));
        payloads.small = o.get("workload", "mixed").equals("small");
        Delivery d =
                o.get("event", "push").equals("push") ? payloads.push(o.integer("commits", 3)) : payloads.pullRequest();
        System.out.print(new String(d.body, StandardCharsets.UTF_8));
        System.out.flush();
        System.err.print(d.signature);
    }

    // ==== the timed run =======================================================================

    enum Sample {
        PUSH,
        PULL_REQUEST,
        LOOKUP
    }

    interface Work {
        void once(Worker worker) throws Exception;
    }

    /** One measured run: N worker threads, a warm-up, then a fixed duration or count. */
    static final class Run {
        final String mode;
        final int concurrency;
        final double warmup;
        final double duration;
        final long count;
        final List<Worker> workers = new ArrayList<>();
        final Map<String, Object> extra = new TreeMap<>();
        final AtomicLong tickets = new AtomicLong();
        final HttpClient[] clients;
        String label = "";
        volatile long measureStart;
        volatile long measureEnd;
        long cpuStart;
        long cpuEnd;
        long jitStart;
        long jitEnd;
        final long serverPid;
        final Set<String> databases;
        Cpu machineStart;
        Cpu machineEnd;
        long wallStart;
        long wallEnd;

        /** Requests per second offered by all workers together; 0: as fast as answers come. */
        final double rate;

        Run(String mode, Options o, int concurrency) {
            this.mode = mode;
            this.concurrency = concurrency;
            this.warmup = o.decimal("warmup", 0);
            this.rate = o.decimal("rate", 0);
            this.count = o.longValue("count", -1);
            this.duration = count > 0 ? -1 : o.decimal("duration", 20);
            this.serverPid = o.longValue("server-pid", -1);
            this.databases =
                    new LinkedHashSet<>(Arrays.asList(o.get("databases", "").split(",")));
            this.databases.remove("");
            int clientCount = Math.max(1, Math.min(concurrency, o.integer("clients", concurrency)));
            boolean direct = o.get("executor", "direct").equals("direct");
            clients = new HttpClient[clientCount];
            for (int i = 0; i < clientCount; i++) {
                HttpClient.Builder builder = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5));
                if (direct) {
                    // Response handling runs on the client's selector thread instead of being
                    // handed to a pool thread: fewer thread switches per request.
                    builder.executor(Runnable::run);
                }
                clients[i] = builder.build();
            }
        }

        boolean measuring(long now) {
            return now >= measureStart;
        }

        /** Whether a worker may start another request (at time now). */
        boolean more(long now) {
            if (!measuring(now)) {
                return true;
            }
            return count > 0 ? tickets.getAndIncrement() < count : now < measureEnd;
        }

        void execute(Work work) throws InterruptedException {
            long start = System.nanoTime();
            measureStart = start + (long) (warmup * 1e9);
            measureEnd = duration > 0 ? measureStart + (long) (duration * 1e9) : Long.MAX_VALUE;
            System.err.printf(
                    "%s %s: concurrency %d, warm-up %.0f s, then %s%n",
                    mode, label, concurrency, warmup, count > 0 ? count + " requests" : duration + " s");
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                Worker worker = new Worker(this, clients[i % clients.length]);
                workers.add(worker);
                long interval = rate > 0 ? (long) (concurrency * 1e9 / rate) : 0;
                long offset = interval > 0 ? ThreadLocalRandom.current().nextLong(interval) : 0;
                Thread thread = new Thread(
                        () -> {
                            try {
                                // With --rate each worker sends on its own fixed schedule, so latency is
                                // measured at a known load instead of at saturation.
                                long next = System.nanoTime() + offset;
                                while (worker.running()) {
                                    if (interval > 0) {
                                        long wait = next - System.nanoTime();
                                        if (wait > 0) {
                                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                                        }
                                        next += interval;
                                    }
                                    work.once(worker);
                                }
                            } catch (Exception e) {
                                worker.fatal = e;
                            }
                        },
                        "worker-" + i);
                threads.add(thread);
            }
            threads.forEach(Thread::start);
            // Mark the start of the measured phase for CPU accounting.
            long sleep = measureStart - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            wallStart = System.nanoTime();
            cpuStart = processCpu();
            jitStart = jitMillis();
            machineStart = Cpu.now(serverPid, databases);
            for (Thread thread : threads) {
                thread.join();
            }
            wallEnd = System.nanoTime();
            cpuEnd = processCpu();
            jitEnd = jitMillis();
            machineEnd = Cpu.now(serverPid, databases);
            for (Worker worker : workers) {
                if (worker.fatal != null) {
                    System.err.println("worker failed: " + worker.fatal);
                    worker.fatal.printStackTrace();
                }
            }
        }

        long[] merged(java.util.function.Function<Worker, Longs> which) {
            int total = 0;
            for (Worker w : workers) {
                total += which.apply(w).size;
            }
            long[] all = new long[total];
            int at = 0;
            for (Worker w : workers) {
                Longs l = which.apply(w);
                System.arraycopy(l.values, 0, all, at, l.size);
                at += l.size;
            }
            Arrays.sort(all);
            return all;
        }

        void report() {
            long ok = 0;
            long errors = 0;
            long lastEnd = measureStart;
            Map<String, Long> byStatus = new TreeMap<>();
            Map<String, Long> okByStatus = new TreeMap<>();
            long pushes = 0;
            long pullRequests = 0;
            long commits = 0;
            long bytes = 0;
            for (Worker w : workers) {
                ok += w.latencies.size;
                errors += w.errors;
                lastEnd = Math.max(lastEnd, w.lastEnd);
                w.errorsByStatus.forEach((k, v) -> byStatus.merge(k, v, Long::sum));
                w.okByStatus.forEach((k, v) -> okByStatus.merge(k, v, Long::sum));
                pushes += w.pushes;
                pullRequests += w.pullRequests;
                commits += w.commits;
                bytes += w.bytes;
            }
            long[] all = merged(w -> w.latencies);
            double seconds = Math.max(1e-9, (lastEnd - measureStart) / 1e9);
            double perSecond = ok / seconds;
            double wall = Math.max(1e-9, (wallEnd - wallStart) / 1e9);
            double generatorCores = (cpuEnd - cpuStart) / 1e9 / wall;
            extra.put("generatorCpuCores", round(generatorCores, 3));
            // Time the generator's JIT spent compiling while requests were timed: it shares the
            // servers' cores, so a large figure means the warm-up was too short.
            extra.put("generatorJitMs", jitEnd - jitStart);
            double machineBusy = -1;
            if (machineStart != null && machineEnd != null && machineEnd.total > machineStart.total) {
                // Jiffies of all CPUs over the phase, turned into cores in use.
                double cores = Runtime.getRuntime().availableProcessors();
                double total = machineEnd.total - machineStart.total;
                machineBusy = (total - (machineEnd.idle - machineStart.idle)) / total * cores;
                double server = (machineEnd.server - machineStart.server) / total * cores;
                double postgres = machineEnd.postgresSince(machineStart) / total * cores;
                extra.put("cpuBusy", round(machineBusy, 2));
                extra.put("cpuServer", round(server, 2));
                // Of which the server's JIT compiler threads (a thread that exited is not counted).
                extra.put("cpuServerJit", round((machineEnd.serverJit - machineStart.serverJit) / total * cores, 2));
                extra.put("cpuPostgres", round(postgres, 2));
                extra.put("cpuGenerator", round(generatorCores, 2));
                // Interrupt handling (loopback traffic) is charged to no process: not "other".
                double interrupts = (machineEnd.interrupts - machineStart.interrupts) / total * cores;
                extra.put(
                        "cpuOther",
                        round(Math.max(0, machineBusy - server - postgres - generatorCores - interrupts), 2));
            }
            extra.put("okByStatus", okByStatus);
            if (mode.equals("intake")) {
                extra.put("pushes", pushes);
                extra.put("pullRequests", pullRequests);
                extra.put("meanCommitsPerPush", pushes == 0 ? 0 : round((double) commits / pushes, 2));
                extra.put("meanBodyBytes", pushes + pullRequests == 0 ? 0 : bytes / (pushes + pullRequests));
                long[] push = merged(w -> w.pushLatencies);
                long[] pr = merged(w -> w.pullRequestLatencies);
                extra.put("pushP50", round(pct(push, 0.50), 3));
                extra.put("pushP99", round(pct(push, 0.99), 3));
                extra.put("pullRequestP50", round(pct(pr, 0.50), 3));
                extra.put("pullRequestP99", round(pct(pr, 0.99), 3));
            }

            System.out.printf(
                    "%s %s, concurrency %d: %d ok, %d errors in %.2f s = %.1f /s%n",
                    mode, label, concurrency, ok, errors, seconds, perSecond);
            System.out.printf(
                    "  latency to 2xx (ms): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                    pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
            if (!byStatus.isEmpty()) {
                System.out.println("  errors by status: " + byStatus);
            }
            System.out.printf(
                    "  generator CPU %.2f cores; machine busy %.2f cores; %s%n", generatorCores, machineBusy, extra);

            StringBuilder json = new StringBuilder("{");
            json.append("\"mode\":").append(quote(mode));
            json.append(",\"label\":").append(quote(label));
            json.append(",\"concurrency\":").append(concurrency);
            json.append(",\"count\":").append(ok);
            json.append(",\"errors\":").append(errors);
            json.append(",\"errorsByStatus\":").append(jsonMap(byStatus));
            json.append(",\"seconds\":").append(round(seconds, 3));
            json.append(",\"perSecond\":").append(round(perSecond, 1));
            json.append(",\"p50\":").append(round(pct(all, 0.50), 3));
            json.append(",\"p90\":").append(round(pct(all, 0.90), 3));
            json.append(",\"p99\":").append(round(pct(all, 0.99), 3));
            json.append(",\"max\":").append(round(all.length == 0 ? 0 : all[all.length - 1] / 1e6, 3));
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                Object v = e.getValue();
                json.append(',').append(quote(e.getKey())).append(':');
                if (v instanceof Map<?, ?> map) {
                    json.append(jsonMap(map));
                } else if (v instanceof String s) {
                    json.append(quote(s));
                } else {
                    json.append(v);
                }
            }
            json.append('}');
            System.out.println("RESULT " + json);
        }
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    static double round(double value, int places) {
        double scale = Math.pow(10, places);
        return Math.round(value * scale) / scale;
    }

    static String quote(String s) {
        Json j = new Json(s.length() + 2);
        j.string(s);
        return j.toString();
    }

    static String jsonMap(Map<?, ?> map) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(quote(String.valueOf(e.getKey()))).append(':').append(e.getValue());
        }
        return b.append('}').toString();
    }

    /** Milliseconds this JVM's compilers have spent so far. */
    static long jitMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    static long processCpu() {
        try {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /**
     * CPU jiffies from /proc (Linux): the machine's total and idle, the server process's, and
     * PostgreSQL's: the backends of the given databases plus the shared processes (postmaster,
     * WAL writer, checkpointer, autovacuum...). Backends of other databases are left out, so
     * they show as "other"; so does a backend that exits during the phase. Null off Linux.
     */
    record Cpu(long total, long idle, long interrupts, long server, long serverJit, Map<Long, Long> postgres) {

        /** A client backend's title: "postgres: [cluster: ]user database host(port) state". */
        static final Pattern BACKEND = Pattern.compile("^postgres: (?:\\S+: )?\\S+ (\\S+) \\S*\\(\\d+\\)");

        /**
         * PostgreSQL's jiffies since the earlier snapshot, summed per process over those alive
         * now (one that exited in between is not counted; one that started counts from zero).
         */
        long postgresSince(Cpu earlier) {
            long sum = 0;
            for (Map.Entry<Long, Long> e : postgres.entrySet()) {
                long before = earlier.postgres.getOrDefault(e.getKey(), 0L);
                sum += e.getValue() >= before ? e.getValue() - before : e.getValue();
            }
            return sum;
        }

        static Cpu now(long serverPid, Set<String> databases) {
            try {
                String[] f =
                        Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                long interrupts = Long.parseLong(f[6]) + Long.parseLong(f[7]);
                long server = 0;
                long serverJit = 0;
                Map<Long, Long> postgres = new HashMap<>();
                try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                    for (Path dir : dirs) {
                        String stat;
                        try {
                            stat = Files.readString(dir.resolve("stat"));
                        } catch (IOException e) {
                            continue; // gone
                        }
                        int close = stat.lastIndexOf(')');
                        String comm = stat.substring(stat.indexOf('(') + 1, close);
                        String[] x = stat.substring(close + 2).split(" ");
                        long own = Long.parseLong(x[11]) + Long.parseLong(x[12]);
                        long pid = Long.parseLong(dir.getFileName().toString());
                        if (pid == serverPid) {
                            server = own;
                            serverJit = compilerThreads(dir);
                        } else if (comm.equals("postgres")) {
                            String cmd;
                            try {
                                cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
                                        .replace('\0', ' ');
                            } catch (IOException e) {
                                continue;
                            }
                            Matcher backend = BACKEND.matcher(cmd);
                            if (!backend.find() || databases.contains(backend.group(1))) {
                                // This run's backends, and the shared processes (their own time).
                                postgres.put(pid, own);
                            }
                        }
                    }
                }
                return new Cpu(total, idle, interrupts, server, serverJit, postgres);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** Jiffies of a JVM's JIT compiler threads (HotSpot names them "C1/C2 CompilerThreadN"). */
        static long compilerThreads(Path process) throws IOException {
            long sum = 0;
            try (var tasks = Files.newDirectoryStream(process.resolve("task"), "[0-9]*")) {
                for (Path task : tasks) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (IOException e) {
                        continue;
                    }
                    int close = stat.lastIndexOf(')');
                    String comm = stat.substring(stat.indexOf('(') + 1, close);
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        String[] x = stat.substring(close + 2).split(" ");
                        sum += Long.parseLong(x[11]) + Long.parseLong(x[12]);
                    }
                }
            }
            return sum;
        }
    }

    /** One worker thread: sends synchronously and records request-to-response times. */
    static final class Worker {
        final Run run;
        final HttpClient client;
        final Longs latencies = new Longs();
        final Longs pushLatencies = new Longs();
        final Longs pullRequestLatencies = new Longs();
        final Map<String, Long> errorsByStatus = new HashMap<>();
        final Map<String, Long> okByStatus = new HashMap<>();
        long errors;
        long lastEnd;
        long pushes;
        long pullRequests;
        long commits;
        long bytes;
        Exception fatal;
        private boolean measuredNow;
        private boolean stopped;
        private int errorsPrinted;

        Worker(Run run, HttpClient client) {
            this.run = run;
            this.client = client;
        }

        /** Decides, before each unit of work, whether it runs and whether it is measured. */
        boolean running() {
            if (stopped) {
                return false;
            }
            long now = System.nanoTime();
            if (!run.more(now)) {
                stopped = true;
                return false;
            }
            measuredNow = run.measuring(now);
            return true;
        }

        /** Sends one request; returns the body on 2xx, null otherwise. */
        String send(HttpRequest request, Sample kind, int commitCount, int bodyBytes) {
            if (stopped) {
                return null;
            }
            long start = System.nanoTime();
            int status;
            String body = null;
            String failure = null;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                body = response.body();
            } catch (IOException | InterruptedException e) {
                status = -1;
                failure = "exception:" + e.getClass().getSimpleName();
            }
            long end = System.nanoTime();
            boolean ok = status >= 200 && status < 300;
            if (measuredNow) {
                lastEnd = Math.max(lastEnd, end);
                if (ok) {
                    latencies.add(end - start);
                    okByStatus.merge(String.valueOf(status), 1L, Long::sum);
                    if (kind == Sample.PUSH) {
                        pushLatencies.add(end - start);
                        pushes++;
                        commits += commitCount;
                        bytes += bodyBytes;
                    } else if (kind == Sample.PULL_REQUEST) {
                        pullRequestLatencies.add(end - start);
                        pullRequests++;
                        bytes += bodyBytes;
                    }
                } else {
                    errors++;
                    errorsByStatus.merge(failure != null ? failure : String.valueOf(status), 1L, Long::sum);
                }
            }
            if (!ok && errorsPrinted < 3) {
                errorsPrinted++;
                System.err.printf(
                        "  %s %s -> %s %s%n",
                        request.method(),
                        request.uri(),
                        failure != null ? failure : status,
                        body == null ? "" : body.substring(0, Math.min(300, body.length())));
            }
            return ok ? body : null;
        }
    }

    static final class Longs {
        long[] values = new long[4096];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    // ==== where deliveries come from ==========================================================

    record Delivery(String event, byte[] body, String signature, int commits) {}

    interface DeliverySource {
        Delivery next(Worker worker) throws InterruptedException;

        long stalls();

        long stallNanos();

        void close();
    }

    /**
     * A pool made before the timed phase and used once, so no body (and no sha) is sent twice.
     * Nothing is generated while requests are timed unless the pool runs out: then a worker
     * makes its body itself, under a lock, and the run reports it as a stall (generating
     * bodies costs about as much CPU as sending them, which would be charged to the server).
     */
    static final class FreshSource implements DeliverySource {
        final Delivery[] pool;
        final AtomicLong next = new AtomicLong();
        final Payloads payloads;
        final double prShare;
        final AtomicLong stalls = new AtomicLong();
        final AtomicLong stallNanos = new AtomicLong();

        FreshSource(Payloads payloads, int size, double prShare) {
            this.payloads = payloads;
            this.prShare = prShare;
            pool = new Delivery[size];
            long t = System.nanoTime();
            for (int i = 0; i < size; i++) {
                pool[i] = payloads.next(prShare);
            }
            System.err.printf("pre-generated %d deliveries in %.2f s%n", size, (System.nanoTime() - t) / 1e9);
        }

        @Override
        public Delivery next(Worker worker) {
            long i = next.getAndIncrement();
            if (i < pool.length) {
                Delivery d = pool[(int) i];
                pool[(int) i] = null; // sent once; let it go
                return d;
            }
            long t = System.nanoTime();
            Delivery d;
            synchronized (payloads) {
                d = payloads.next(prShare);
            }
            stalls.incrementAndGet();
            stallNanos.addAndGet(System.nanoTime() - t);
            return d;
        }

        @Override
        public long stalls() {
            return stalls.get();
        }

        @Override
        public long stallNanos() {
            return stallNanos.get();
        }

        @Override
        public void close() {}
    }

    /** A pool made before the timed phase and cycled: for receivers that discard the body. */
    static final class RecycledSource implements DeliverySource {
        final Delivery[] pool;
        final AtomicLong next = new AtomicLong();

        RecycledSource(Payloads payloads, int size, double prShare) {
            pool = new Delivery[size];
            long t = System.nanoTime();
            for (int i = 0; i < size; i++) {
                pool[i] = payloads.next(prShare);
            }
            System.err.printf("pre-generated %d deliveries in %.2f s (cycled)%n", size, (System.nanoTime() - t) / 1e9);
        }

        @Override
        public Delivery next(Worker worker) {
            return pool[(int) (next.getAndIncrement() % pool.length)];
        }

        @Override
        public long stalls() {
            return 0;
        }

        @Override
        public long stallNanos() {
            return 0;
        }

        @Override
        public void close() {}
    }

    // ==== the world: one organisation, its repositories, branches and developers ==============

    record Repo(
            int index, long id, String name, String fullName, String description, String language, long createdAt) {}

    record Dev(
            int index,
            long id,
            String login,
            String name,
            String email,
            boolean username,
            boolean bot,
            ZoneOffset zone) {}

    static final class Branch {
        final Repo repo;
        final String name;
        final Dev owner;
        String head;
        int openPullRequest; // number, 0 if none
        String pullRequestCreatedAt;

        Branch(Repo repo, String name, Dev owner) {
            this.repo = repo;
            this.name = name;
            this.owner = owner;
        }
    }

    /** Always the same (fixed seed), so that logins, ids and e-mails agree across runs and threads. */
    static final class World {
        static final String ORG = "bench-corp";
        static final long ORG_ID = 9919001L;
        static final String[] FIRST = {
            "Mona", "Devon", "Priya", "Hubert", "Aiko", "Carlos", "Fatima", "Lars", "Zoë", "Mateo", "Ngozi", "Olga",
            "Rahul", "Sven", "Yuki", "Amara", "Björn", "Chen", "Dmitri", "Elena", "Farah", "Gustavo", "Hana", "Ibrahim",
            "Jonas", "Kavya", "Liam", "Maya", "Nikolai", "Oren", "Paula", "Quinn", "Rosa", "Sanjay", "Tomás", "Uma",
            "Victor", "Wei", "Ximena", "Yusuf", "Ada", "Bruno", "Chloé", "Diego", "Emeka", "Freya", "Goran", "Helga",
            "Ines", "Jamal"
        };
        static final String[] LAST = {
            "Park",
            "Raman",
            "Octo",
            "Tanaka",
            "Silva",
            "Haddad",
            "Nilsson",
            "Müller",
            "Garcia",
            "Okafor",
            "Petrova",
            "Sharma",
            "Berg",
            "Sato",
            "Mensah",
            "Andersson",
            "Li",
            "Ivanov",
            "Rossi",
            "Khan",
            "Costa",
            "Kim",
            "Yilmaz",
            "Fischer",
            "Iyer",
            "Murphy",
            "Cohen",
            "Novak",
            "Dubois",
            "Kowalski",
            "Nguyen",
            "Hughes",
            "Moreau",
            "Ali",
            "Jensen",
            "Lopez",
            "Wang",
            "Hernández",
            "Demir",
            "Schmidt",
            "Brown",
            "Łukasik",
            "O'Neil",
            "Adeyemi",
            "Weber",
            "Santos",
            "Kaur",
            "Lindqvist",
            "Romano",
            "Sørensen"
        };
        static final String[] AREA = {
            "payments",
            "ledger",
            "checkout",
            "identity",
            "search",
            "catalog",
            "pricing",
            "billing",
            "inventory",
            "shipping",
            "notifications",
            "analytics",
            "gateway",
            "auth",
            "profile",
            "orders",
            "reports",
            "recommendations",
            "fraud",
            "media",
            "tax",
            "returns"
        };
        static final String[] KIND = {"api", "service", "worker", "web", "sdk", "infra", "jobs", "ui"};
        static final String[] LANGUAGES = {"Java", "Kotlin", "Go", "TypeScript", "Python"};
        static final ZoneOffset[] ZONES = {
            ZoneOffset.ofHours(-8),
            ZoneOffset.ofHours(-5),
            ZoneOffset.UTC,
            ZoneOffset.ofHours(1),
            ZoneOffset.ofHours(2),
            ZoneOffset.ofHoursMinutes(5, 30),
            ZoneOffset.ofHours(8),
            ZoneOffset.ofHours(9)
        };

        final Repo[] repos = new Repo[40];
        final Dev[] devs = new Dev[400];
        final Dev[] bots = new Dev[2];
        final List<Branch> branches = new ArrayList<>();
        final Map<Repo, List<Branch>> branchesOf = new HashMap<>();

        World() {
            Random random = new Random(20261120L);
            Set<String> names = new LinkedHashSet<>();
            while (names.size() < repos.length) {
                names.add(AREA[random.nextInt(AREA.length)] + "-" + KIND[random.nextInt(KIND.length)]);
            }
            int i = 0;
            for (String name : names) {
                repos[i] = new Repo(
                        i,
                        702_938_101L + i * 7_919L,
                        name,
                        ORG + "/" + name,
                        "The " + name.replace('-', ' ') + " of Bench Corp",
                        LANGUAGES[random.nextInt(LANGUAGES.length)],
                        1_600_000_000L + random.nextInt(150_000_000));
                i++;
            }
            Set<String> logins = new LinkedHashSet<>();
            Set<Long> ids = new LinkedHashSet<>();
            for (i = 0; i < devs.length; i++) {
                String first = FIRST[i % FIRST.length];
                String last = LAST[(i / FIRST.length + i * 7) % LAST.length];
                String name = first + " " + last;
                String login;
                do {
                    String f = ascii(first);
                    String l = ascii(last);
                    login = switch (random.nextInt(5)) {
                        case 0 -> f + "-" + l;
                        case 1 -> f + l.charAt(0);
                        case 2 -> f.charAt(0) + l;
                        case 3 -> f + "-" + l + "-" + (10 + random.nextInt(89));
                        default -> l + "-" + f.substring(0, Math.min(3, f.length())) + random.nextInt(100);
                    };
                } while (!logins.add(login));
                long id;
                do {
                    id = 100_000L + random.nextInt(90_000_000);
                } while (!ids.add(id));
                boolean username = true;
                String email;
                int kind = random.nextInt(100);
                if (kind < 40) {
                    email = ascii(first) + "." + ascii(last) + "@bench-corp.example";
                } else if (kind < 70) {
                    email = id + "+" + login + "@users.noreply.github.com";
                } else if (kind < 78) {
                    email = login + "@users.noreply.github.com";
                } else if (kind < 95) {
                    email = ascii(first) + "." + ascii(last) + random.nextInt(100) + "@mail.example";
                } else {
                    // A few whose commit e-mail GitHub does not match to their account: no username.
                    email = ascii(first) + "@home-" + random.nextInt(1000) + ".example";
                    username = false;
                }
                devs[i] = new Dev(i, id, login, name, email, username, false, ZONES[random.nextInt(ZONES.length)]);
            }
            bots[0] = new Dev(
                    -1,
                    49_699_333L,
                    "dependabot[bot]",
                    "dependabot[bot]",
                    "49699333+dependabot[bot]@users.noreply.github.com",
                    true,
                    true,
                    ZoneOffset.UTC);
            bots[1] = new Dev(
                    -2,
                    29_139_614L,
                    "renovate[bot]",
                    "renovate[bot]",
                    "29139614+renovate[bot]@users.noreply.github.com",
                    true,
                    true,
                    ZoneOffset.UTC);

            String[] topics = {
                "retry",
                "backoff",
                "cache",
                "timeout",
                "pagination",
                "metrics",
                "tracing",
                "login",
                "refund",
                "export",
                "import",
                "schema",
                "index",
                "limits",
                "audit",
                "webhooks",
                "search",
                "currency",
                "locale",
                "cleanup",
                "flaky-test",
                "upgrade",
                "config",
                "docs"
            };
            for (Repo repo : repos) {
                Branch main = new Branch(repo, "main", devs[random.nextInt(devs.length)]);
                branches.add(main);
                branchesOf.computeIfAbsent(repo, k -> new ArrayList<>()).add(main);
            }
            Set<String> taken = new LinkedHashSet<>();
            while (branches.size() < 300) {
                Repo repo = repos[random.nextInt(repos.length)];
                Dev owner = devs[random.nextInt(devs.length)];
                String a = topics[random.nextInt(topics.length)];
                String b = topics[random.nextInt(topics.length)];
                String name = switch (random.nextInt(6)) {
                    case 0, 1 -> "feature/" + a + "-" + b;
                    case 2 -> "fix/" + a + "-" + (100 + random.nextInt(900));
                    case 3 -> owner.login + "/" + a;
                    case 4 -> "chore/" + a;
                    default -> "release/2026." + (1 + random.nextInt(12));
                };
                if (taken.add(repo.id + " " + name)) {
                    Branch branch = new Branch(repo, name, owner);
                    branches.add(branch);
                    branchesOf.computeIfAbsent(repo, k -> new ArrayList<>()).add(branch);
                }
            }
        }

        static String ascii(String s) {
            return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD)
                    .replaceAll("\\p{M}", "")
                    .replace("ł", "l")
                    .replace("Ł", "L")
                    .replace("ø", "o")
                    .replace("'", "")
                    .toLowerCase(Locale.ROOT);
        }
    }

    // ==== payload generation ==================================================================

    /** Makes bodies and signatures. Not thread-safe: one producer thread uses it. */
    static final class Payloads {
        static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
        static final String[] VERBS = {
            "Add",
            "Fix",
            "Remove",
            "Refactor",
            "Extract",
            "Rename",
            "Document",
            "Test",
            "Handle",
            "Validate",
            "Cache",
            "Log",
            "Bump",
            "Simplify",
            "Speed up",
            "Revert"
        };
        static final String[] THINGS = {
            "retry policy",
            "capture client",
            "refund path",
            "currency rounding",
            "webhook handler",
            "pagination cursor",
            "rate limiter",
            "schema migration",
            "audit log",
            "token refresh",
            "search index",
            "error mapper",
            "health check",
            "feature flag",
            "export job",
            "price calculator",
            "session store",
            "config loader",
            "metrics exporter",
            "batch writer"
        };
        static final String[] SENTENCES = {
            "The previous version retried on every 4xx, which hid real errors.",
            "This keeps the public API unchanged and only touches the internal client.",
            "Callers that relied on the old default now get an explicit error instead of a silent retry.",
            "Measured locally, the p99 of the capture path drops from 180 ms to 40 ms.",
            "The migration is backwards compatible: the old column stays until the next release.",
            "Tests cover the empty page, the last page and a cursor from another repository.",
            "No behaviour change for existing users; the flag is off by default.",
            "Follow-up to the incident review: we now log the request id on every attempt.",
            "The idempotency key is reused across attempts, so a retry can never double-capture.",
            "See the design note in docs/adr for the trade-offs we considered."
        };
        static final String[] DIRS = {
            "src/main/java/com/benchcorp/",
            "src/test/java/com/benchcorp/",
            "src/main/resources/",
            "docs/",
            "deploy/",
            ".github/workflows/"
        };
        static final String[] FILES = {
            "Client.java",
            "Service.java",
            "Resource.java",
            "Config.java",
            "Mapper.java",
            "Repository.java",
            "application.properties",
            "README.md",
            "ci.yml",
            "values.yaml",
            "V12__add_index.sql",
            "ClientTest.java"
        };

        final World world;
        final Random random;
        final Mac mac;
        final HexFormat hex = HexFormat.of();
        final byte[] shaBytes = new byte[20];
        final Map<Repo, Integer> nextPullRequest = new HashMap<>();
        long clock = Instant.now().getEpochSecond() - 3600;

        Payloads(World world, long seed, String secret) {
            this.world = world;
            this.random = new Random(seed);
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            // Pull request numbers differ per run (seeded), and the id follows from (repository, number).
            for (Repo repo : world.repos) {
                nextPullRequest.put(repo, 1_000 + random.nextInt(5_000_000));
            }
        }

        /**
         * The small-push workload: every delivery a push of 5 commits with one-line messages and
         * no file lists, the repository, organization and sender objects cut to the fields a
         * receiver reads, about 3 KB.
         */
        boolean small;

        Delivery next(double prShare) {
            if (small) {
                return push(5);
            }
            return random.nextDouble() < prShare ? pullRequest() : push(1 + random.nextInt(20));
        }

        String sha() {
            random.nextBytes(shaBytes);
            return hex.formatHex(shaBytes);
        }

        Delivery sign(String event, Json json, int commits) {
            byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
            return new Delivery(event, body, "sha256=" + hex.formatHex(mac.doFinal(body)), commits);
        }

        long tick() {
            clock += 1 + random.nextInt(3);
            return clock;
        }

        Dev someoneElse() {
            return world.devs[random.nextInt(world.devs.length)];
        }

        Delivery push(int commitCount) {
            Branch branch = pickBranch();
            boolean byBot = random.nextInt(100) == 0;
            Dev pusher = byBot
                    ? world.bots[random.nextInt(world.bots.length)]
                    : random.nextInt(100) < 80 ? branch.owner : someoneElse();
            Repo repo = branch.repo;
            String before = branch.head != null ? branch.head : sha();
            long pushedAt = tick();

            List<String> ids = new ArrayList<>(commitCount);
            Json commits = new Json(commitCount * 1400);
            String last = null;
            long at = pushedAt - commitCount * 240L - random.nextInt(3600);
            for (int i = 0; i < commitCount; i++) {
                String id = sha();
                ids.add(id);
                Dev author = pusher.bot() || random.nextInt(100) < 85 ? pusher : someoneElse();
                at += 60 + random.nextInt(400);
                Json c = new Json(1400);
                commit(c, repo, id, author, at);
                last = c.toString();
                commits.raw(i == 0 ? "" : ",").raw(last);
            }
            String after = ids.get(ids.size() - 1);
            branch.head = after;

            Json j = new Json(8000 + commitCount * 1400);
            j.open();
            j.field("ref", "refs/heads/" + branch.name);
            j.field("before", before);
            j.field("after", after);
            j.key("repository");
            if (small) {
                j.open()
                        .field("id", repo.id())
                        .field("name", repo.fullName().substring(repo.fullName().indexOf('/') + 1))
                        .field("full_name", repo.fullName())
                        .field("private", true);
                j.key("owner")
                        .open()
                        .field("login", World.ORG)
                        .field("id", World.ORG_ID)
                        .field("type", "Organization")
                        .close();
                j.field("html_url", "https://github.com/" + repo.fullName())
                        .field("default_branch", "main")
                        .field("pushed_at", pushedAt)
                        .close();
            } else {
                repository(j, repo, true, pushedAt);
            }
            j.key("pusher")
                    .open()
                    .field("name", pusher.login())
                    .field("email", pusher.email())
                    .close();
            if (small) {
                j.key("organization")
                        .open()
                        .field("login", World.ORG)
                        .field("id", World.ORG_ID)
                        .close();
                j.key("sender")
                        .open()
                        .field("login", pusher.login())
                        .field("id", pusher.id())
                        .field("type", pusher.bot() ? "Bot" : "User")
                        .close();
            } else {
                j.key("organization");
                organization(j);
                j.key("sender");
                account(j, pusher.login(), pusher.id(), pusher.bot() ? "Bot" : "User");
            }
            j.key("installation")
                    .open()
                    .field("id", 1)
                    .field("node_id", "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==")
                    .close();
            j.field("created", false);
            j.field("deleted", false);
            j.field("forced", false);
            j.nullField("base_ref");
            j.field(
                    "compare",
                    "https://github.com/" + repo.fullName() + "/compare/" + before.substring(0, 12) + "..."
                            + after.substring(0, 12));
            j.key("commits").raw("[").raw(commits.toString()).raw("]");
            j.key("head_commit").raw(last);
            j.close();
            return sign("push", j, commitCount);
        }

        Branch pickBranch() {
            // One push in five goes to a default branch, the rest to the other branches.
            if (random.nextInt(5) == 0) {
                return world.branches.get(random.nextInt(world.repos.length));
            }
            return world.branches.get(world.repos.length + random.nextInt(world.branches.size() - world.repos.length));
        }

        void commit(Json c, Repo repo, String id, Dev author, long at) {
            String timestamp = ISO.format(OffsetDateTime.ofInstant(Instant.ofEpochSecond(at), author.zone()));
            c.open();
            c.field("id", id);
            c.field("tree_id", sha());
            c.field("distinct", true);
            c.field(
                    "message",
                    small
                            ? VERBS[random.nextInt(VERBS.length)] + " " + THINGS[random.nextInt(THINGS.length)]
                            : message(author));
            c.field("timestamp", timestamp);
            c.field("url", "https://github.com/" + repo.fullName() + "/commit/" + id);
            c.key("author");
            person(c, author, timestamp);
            c.key("committer");
            if (!author.bot() && random.nextInt(100) < 3) {
                // Made in the web editor: GitHub commits as web-flow.
                c.open()
                        .field("name", "GitHub")
                        .field("email", "noreply@github.com")
                        .field("date", timestamp)
                        .field("username", "web-flow")
                        .close();
            } else {
                person(c, author, timestamp);
            }
            int files = small ? 0 : 1 + random.nextInt(5);
            c.key("added").array();
            if (!small && random.nextInt(3) == 0) {
                c.item(path());
            }
            c.endArray();
            c.key("removed").array().endArray();
            c.key("modified").array();
            for (int f = 0; f < files; f++) {
                c.item(path());
            }
            c.endArray();
            c.close();
        }

        String path() {
            return DIRS[random.nextInt(DIRS.length)] + THINGS[random.nextInt(THINGS.length)].replace(' ', '_') + "/"
                    + FILES[random.nextInt(FILES.length)];
        }

        void person(Json c, Dev d, String date) {
            c.open().field("name", d.name()).field("email", d.email()).field("date", date);
            if (d.username()) {
                c.field("username", d.login());
            }
            c.close();
        }

        String message(Dev author) {
            if (author.bot()) {
                String lib = THINGS[random.nextInt(THINGS.length)].replace(' ', '-');
                return "Bump " + lib + " from 1." + random.nextInt(20) + ".0 to 1." + (20 + random.nextInt(20))
                        + ".1\n\nBumps " + lib + ". Release notes and changelog are in the pull request.\n\n"
                        + "Signed-off-by: " + author.login() + " <support@github.com>";
            }
            StringBuilder m = new StringBuilder(400);
            m.append(VERBS[random.nextInt(VERBS.length)]).append(' ').append(THINGS[random.nextInt(THINGS.length)]);
            if (random.nextInt(3) > 0) {
                m.append(" in ").append(THINGS[random.nextInt(THINGS.length)]);
            }
            int paragraphs = random.nextInt(4);
            for (int p = 0; p < paragraphs; p++) {
                m.append("\n\n");
                int sentences = 1 + random.nextInt(3);
                int width = 0;
                for (int s = 0; s < sentences; s++) {
                    for (String word : SENTENCES[random.nextInt(SENTENCES.length)].split(" ")) {
                        if (width + word.length() > 72) {
                            m.append('\n');
                            width = 0;
                        } else if (width > 0) {
                            m.append(' ');
                            width++;
                        }
                        m.append(word);
                        width += word.length();
                    }
                }
            }
            if (random.nextInt(10) == 0) {
                m.append("\n");
                int coAuthors = 1 + random.nextInt(2);
                for (int i = 0; i < coAuthors; i++) {
                    Dev co = someoneElse();
                    m.append("\nCo-authored-by: ")
                            .append(co.name())
                            .append(" <")
                            .append(co.email())
                            .append('>');
                }
            }
            return m.toString();
        }

        Delivery pullRequest() {
            List<Branch> candidates = world.branchesOf.get(world.repos[random.nextInt(world.repos.length)]);
            Branch branch = candidates.get(random.nextInt(candidates.size()));
            if (branch.name.equals("main")) {
                branch = world.branches.get(
                        world.repos.length + random.nextInt(world.branches.size() - world.repos.length));
            }
            Repo repo = branch.repo;
            Branch main = world.branches.get(repo.index());
            String action;
            String before = null;
            if (branch.openPullRequest != 0 && random.nextInt(100) < 70) {
                action = "synchronize";
                before = branch.head != null ? branch.head : sha();
                if (random.nextInt(3) == 0 || branch.head == null) {
                    branch.head = sha(); // a push we did not see (or not yet)
                }
            } else {
                action = "opened";
                int number = nextPullRequest.merge(repo, 1, Integer::sum);
                branch.openPullRequest = number;
                branch.pullRequestCreatedAt =
                        ISO.format(OffsetDateTime.ofInstant(Instant.ofEpochSecond(tick()), ZoneOffset.UTC));
                if (branch.head == null) {
                    branch.head = sha();
                }
            }
            int number = branch.openPullRequest;
            long id = 3_000_000_000L + repo.index() * 10_000_000L + number;
            String updatedAt = ISO.format(OffsetDateTime.ofInstant(Instant.ofEpochSecond(tick()), ZoneOffset.UTC));
            Dev author = branch.owner;
            String api = "https://api.github.com/repos/" + repo.fullName();
            String html = "https://github.com/" + repo.fullName();

            Json j = new Json(24_000);
            j.open();
            j.field("action", action);
            j.field("number", number);
            j.key("pull_request").open();
            j.field("url", api + "/pulls/" + number);
            j.field("id", id);
            j.field(
                    "node_id",
                    "PR_kwDO"
                            + Base64.getEncoder()
                                    .withoutPadding()
                                    .encodeToString(Long.toString(id).getBytes(StandardCharsets.UTF_8)));
            j.field("html_url", html + "/pull/" + number);
            j.field("diff_url", html + "/pull/" + number + ".diff");
            j.field("patch_url", html + "/pull/" + number + ".patch");
            j.field("issue_url", api + "/issues/" + number);
            j.field("number", number);
            j.field("state", "open");
            j.field("locked", false);
            j.field("title", VERBS[random.nextInt(VERBS.length)] + " " + THINGS[random.nextInt(THINGS.length)]);
            j.key("user");
            account(j, author.login(), author.id(), "User");
            StringBuilder body = new StringBuilder();
            for (int s = 0; s < 2 + random.nextInt(5); s++) {
                body.append(SENTENCES[random.nextInt(SENTENCES.length)]).append(s % 2 == 0 ? " " : "\n\n");
            }
            body.append("Closes #").append(1 + random.nextInt(number));
            j.field("body", body.toString());
            j.field("created_at", branch.pullRequestCreatedAt);
            j.field("updated_at", updatedAt);
            j.nullField("closed_at");
            j.nullField("merged_at");
            j.nullField("merge_commit_sha");
            j.nullField("assignee");
            j.key("assignees").raw("[]");
            j.key("requested_reviewers").array();
            Dev reviewer = someoneElse();
            account(j, reviewer.login(), reviewer.id(), "User");
            j.endArray();
            j.key("requested_teams").raw("[]");
            j.key("labels").raw("[]");
            j.nullField("milestone");
            j.field("draft", random.nextInt(10) == 0);
            j.field("commits_url", api + "/pulls/" + number + "/commits");
            j.field("review_comments_url", api + "/pulls/" + number + "/comments");
            j.field("review_comment_url", api + "/pulls/comments{/number}");
            j.field("comments_url", api + "/issues/" + number + "/comments");
            j.field("statuses_url", api + "/statuses/" + branch.head);
            j.key("head");
            ref(j, repo, branch.name, branch.head);
            j.key("base");
            ref(j, repo, "main", main.head != null ? main.head : sha());
            j.key("_links").open();
            for (String link : new String[] {"self", "html", "issue", "comments", "review_comments", "commits"}) {
                j.key(link)
                        .open()
                        .field("href", api + "/pulls/" + number + "/" + link)
                        .close();
            }
            j.close();
            j.field("author_association", "MEMBER");
            j.nullField("auto_merge");
            j.nullField("active_lock_reason");
            j.field("merged", false);
            j.nullField("mergeable");
            j.nullField("rebaseable");
            j.field("mergeable_state", "unknown");
            j.nullField("merged_by");
            j.field("comments", random.nextInt(5));
            j.field("review_comments", random.nextInt(10));
            j.field("maintainer_can_modify", false);
            j.field("commits", 1 + random.nextInt(20));
            j.field("additions", random.nextInt(800));
            j.field("deletions", random.nextInt(300));
            j.field("changed_files", 1 + random.nextInt(30));
            j.close();
            if (before != null) {
                j.field("before", before);
                j.field("after", branch.head);
            }
            j.key("repository");
            repository(j, repo, false, clock);
            j.key("organization");
            organization(j);
            j.key("sender");
            account(j, author.login(), author.id(), "User");
            j.key("installation")
                    .open()
                    .field("id", 1)
                    .field("node_id", "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==")
                    .close();
            j.close();
            return sign("pull_request", j, 0);
        }

        void ref(Json j, Repo repo, String name, String sha) {
            j.open();
            j.field("label", World.ORG + ":" + name);
            j.field("ref", name);
            j.field("sha", sha);
            j.key("user");
            account(j, World.ORG, World.ORG_ID, "Organization");
            j.key("repo");
            repository(j, repo, false, clock);
            j.close();
        }

        /**
         * GitHub's repository object; push payloads carry created_at and pushed_at as epoch
         * seconds. The parts that never change are rendered once per repository.
         */
        void repository(Json j, Repo r, boolean push, long pushedAt) {
            String[] parts = repositoryParts.computeIfAbsent(
                    (push ? "push:" : "other:") + r.index(), k -> repositoryParts(r, push));
            j.value(parts[0]);
            j.raw(",\"updated_at\":\"")
                    .raw(iso(pushedAt - 86_400, ZoneOffset.UTC))
                    .raw("\",\"pushed_at\":");
            j.raw(push ? Long.toString(pushedAt) : "\"" + iso(pushedAt, ZoneOffset.UTC) + "\"");
            j.raw(parts[1]);
        }

        final Map<String, String[]> repositoryParts = new HashMap<>();
        final Map<String, String> accounts = new HashMap<>();
        String organization;

        static String iso(long epochSecond, ZoneOffset zone) {
            return ISO.format(OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone));
        }

        /** {"{ ... created_at", ", git_url ... }"}: what comes before and after updated_at and pushed_at. */
        String[] repositoryParts(Repo r, boolean push) {
            String api = "https://api.github.com/repos/" + r.fullName();
            String html = "https://github.com/" + r.fullName();
            Json j = new Json(6000);
            j.open();
            j.field("id", r.id());
            j.field("node_id", "R_kgDO" + Long.toString(r.id(), 36));
            j.field("name", r.name());
            j.field("full_name", r.fullName());
            j.field("private", true);
            j.key("owner");
            if (push) {
                // Push payloads add name and email to the owner.
                j.open().field("name", World.ORG).nullField("email");
                accountFields(j, World.ORG, World.ORG_ID, "Organization");
                j.close();
            } else {
                account(j, World.ORG, World.ORG_ID, "Organization");
            }
            j.field("html_url", html);
            j.field("description", r.description());
            j.field("fork", false);
            j.field("url", api);
            for (String[] u : REPO_URLS) {
                j.field(u[0], api + u[1]);
            }
            if (push) {
                j.field("created_at", r.createdAt());
            } else {
                j.field("created_at", iso(r.createdAt(), ZoneOffset.UTC));
            }
            String head = j.toString();
            j = new Json(2000);
            j.open();
            j.field("git_url", "git://github.com/" + r.fullName() + ".git");
            j.field("ssh_url", "git@github.com:" + r.fullName() + ".git");
            j.field("clone_url", html + ".git");
            j.field("svn_url", html);
            j.nullField("homepage");
            j.field("size", 1000 + r.index() * 113);
            j.field("stargazers_count", r.index() % 7);
            j.field("watchers_count", r.index() % 7);
            j.field("language", r.language());
            j.field("has_issues", true);
            j.field("has_projects", true);
            j.field("has_downloads", true);
            j.field("has_wiki", false);
            j.field("has_pages", false);
            j.field("has_discussions", false);
            j.field("forks_count", 0);
            j.nullField("mirror_url");
            j.field("archived", false);
            j.field("disabled", false);
            j.field("open_issues_count", r.index() % 13);
            j.nullField("license");
            j.field("allow_forking", true);
            j.field("is_template", false);
            j.field("web_commit_signoff_required", false);
            j.key("topics").raw("[]");
            j.field("visibility", "private");
            j.field("forks", 0);
            j.field("open_issues", r.index() % 13);
            j.field("watchers", r.index() % 7);
            j.field("default_branch", "main");
            if (push) {
                j.field("stargazers", r.index() % 7);
                j.field("master_branch", "main");
                j.field("organization", World.ORG);
            }
            j.key("custom_properties").raw("{}");
            j.close();
            return new String[] {head, "," + j.toString().substring(1)};
        }

        static final String[][] REPO_URLS = {
            {"forks_url", "/forks"},
            {"keys_url", "/keys{/key_id}"},
            {"collaborators_url", "/collaborators{/collaborator}"},
            {"teams_url", "/teams"},
            {"hooks_url", "/hooks"},
            {"issue_events_url", "/issues/events{/number}"},
            {"events_url", "/events"},
            {"assignees_url", "/assignees{/user}"},
            {"branches_url", "/branches{/branch}"},
            {"tags_url", "/tags"},
            {"blobs_url", "/git/blobs{/sha}"},
            {"git_tags_url", "/git/tags{/sha}"},
            {"git_refs_url", "/git/refs{/sha}"},
            {"trees_url", "/git/trees{/sha}"},
            {"statuses_url", "/statuses/{sha}"},
            {"languages_url", "/languages"},
            {"stargazers_url", "/stargazers"},
            {"contributors_url", "/contributors"},
            {"subscribers_url", "/subscribers"},
            {"subscription_url", "/subscription"},
            {"commits_url", "/commits{/sha}"},
            {"git_commits_url", "/git/commits{/sha}"},
            {"comments_url", "/comments{/number}"},
            {"issue_comment_url", "/issues/comments{/number}"},
            {"contents_url", "/contents/{+path}"},
            {"compare_url", "/compare/{base}...{head}"},
            {"merges_url", "/merges"},
            {"archive_url", "/{archive_format}{/ref}"},
            {"downloads_url", "/downloads"},
            {"issues_url", "/issues{/number}"},
            {"pulls_url", "/pulls{/number}"},
            {"milestones_url", "/milestones{/number}"},
            {"notifications_url", "/notifications{?since,all,participating}"},
            {"labels_url", "/labels{/name}"},
            {"releases_url", "/releases{/id}"},
            {"deployments_url", "/deployments"}
        };

        void organization(Json out) {
            if (organization != null) {
                out.value(organization);
                return;
            }
            String api = "https://api.github.com/orgs/" + World.ORG;
            Json j = new Json(1000);
            j.open();
            j.field("login", World.ORG);
            j.field("id", World.ORG_ID);
            j.field("node_id", "MDEyOk9yZ2FuaXphdGlvbjk5MTkwMDE=");
            j.field("url", api);
            j.field("repos_url", api + "/repos");
            j.field("events_url", api + "/events");
            j.field("hooks_url", api + "/hooks");
            j.field("issues_url", api + "/issues");
            j.field("members_url", api + "/members{/member}");
            j.field("public_members_url", api + "/public_members{/member}");
            j.field("avatar_url", "https://avatars.githubusercontent.com/u/" + World.ORG_ID + "?v=4");
            j.field("description", "Bench Corp engineering");
            j.close();
            organization = j.toString();
            out.value(organization);
        }

        /** A user, bot or organisation object, rendered once per account. */
        void account(Json out, String login, long id, String type) {
            out.value(accounts.computeIfAbsent(login + "/" + type, k -> {
                Json j = new Json(1200);
                j.open();
                accountFields(j, login, id, type);
                j.close();
                return j.toString();
            }));
        }

        void accountFields(Json j, String login, long id, String type) {
            String api = "https://api.github.com/users/" + login;
            j.field("login", login);
            j.field("id", id);
            j.field(
                    "node_id",
                    "MDQ6VXNlcj"
                            + Base64.getEncoder()
                                    .withoutPadding()
                                    .encodeToString(Long.toString(id).getBytes(StandardCharsets.UTF_8)));
            j.field("avatar_url", "https://avatars.githubusercontent.com/u/" + id + "?v=4");
            j.field("gravatar_id", "");
            j.field("url", api);
            j.field("html_url", "https://github.com/" + login);
            j.field("followers_url", api + "/followers");
            j.field("following_url", api + "/following{/other_user}");
            j.field("gists_url", api + "/gists{/gist_id}");
            j.field("starred_url", api + "/starred{/owner}{/repo}");
            j.field("subscriptions_url", api + "/subscriptions");
            j.field("organizations_url", api + "/orgs");
            j.field("repos_url", api + "/repos");
            j.field("events_url", api + "/events{/privacy}");
            j.field("received_events_url", api + "/received_events");
            j.field("type", type);
            j.field("user_view_type", "public");
            j.field("site_admin", false);
        }
    }

    /** A small streaming JSON writer: objects, fields and escaped strings; arrays are written raw. */
    static final class Json {
        private final StringBuilder b;
        private final boolean[] comma = new boolean[32];
        private int depth;
        private boolean afterKey;

        Json(int capacity) {
            b = new StringBuilder(capacity);
        }

        private void member() {
            if (afterKey) {
                afterKey = false;
                return;
            }
            if (comma[depth]) {
                b.append(',');
            }
            comma[depth] = true;
        }

        Json open() {
            member();
            b.append('{');
            comma[++depth] = false;
            return this;
        }

        Json close() {
            b.append('}');
            depth--;
            return this;
        }

        Json key(String name) {
            member();
            string(name);
            b.append(':');
            afterKey = true;
            return this;
        }

        Json field(String name, String value) {
            key(name);
            afterKey = false;
            if (value == null) {
                b.append("null");
            } else {
                string(value);
            }
            return this;
        }

        Json field(String name, long value) {
            key(name);
            afterKey = false;
            b.append(value);
            return this;
        }

        Json field(String name, boolean value) {
            key(name);
            afterKey = false;
            b.append(value);
            return this;
        }

        Json nullField(String name) {
            key(name);
            afterKey = false;
            b.append("null");
            return this;
        }

        Json array() {
            member();
            b.append('[');
            comma[++depth] = false;
            return this;
        }

        Json endArray() {
            b.append(']');
            depth--;
            return this;
        }

        Json item(String value) {
            member();
            string(value);
            return this;
        }

        /** A value rendered elsewhere (an object, a number): after key() or as an array element. */
        Json value(String json) {
            member();
            b.append(json);
            return this;
        }

        /** Raw text, inside a value being written; resets the key state. */
        Json raw(String text) {
            afterKey = false;
            b.append(text);
            return this;
        }

        Json string(String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (ch < 0x20) {
                            b.append(String.format("\\u%04x", (int) ch));
                        } else {
                            b.append(ch);
                        }
                    }
                }
            }
            b.append('"');
            return this;
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }

    // ==== options =============================================================================

    static final class Options {
        final Map<String, String> values = new HashMap<>();

        Options(String[] args) {
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument " + a);
                }
                String name = a.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    values.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    values.put(name, args[++i]);
                } else {
                    values.put(name, "true");
                }
            }
        }

        String get(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        String require(String name) {
            String v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return v;
        }

        int integer(String name, int fallback) {
            return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
        }

        long longValue(String name, long fallback) {
            return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
        }

        double decimal(String name, double fallback) {
            return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(values.getOrDefault(name, "false"));
        }
    }
}

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Attribution simulation for the change correlator (JDK 17 single-file program, no dependencies).
 *
 * <pre>
 * java bench/attribution/AttributionSimulation.java --out DIR --app-url http://127.0.0.1:8095
 *      --secret S --api-token T --port-file DIR/github.port [--github-port 0] [--seed 1]
 *      [--developers 60] [--codespaces 180] [--repositories 8] [--polling-repositories 3]
 *      [--adversaries 3] [--duration 240] [--scale 2] [--poll-interval 10] [--outage 20]
 *      [--app-log FILE] [--results FILE] [--rerun "command"] [--app-commit abc123]
 * java bench/attribution/AttributionSimulation.java --plan-only --out DIR [--seed 1 ...]
 *      (only the scenario and its ground truth, no App)
 * </pre>
 *
 * One run: (1) generates a world and a whole scenario from the seed, in simulated time, with a
 * small git model (commits with parents, a remote per repository, a clone per Codespace and per
 * laptop) and writes the ground truth; (2) serves a fake GitHub that the App is pointed at;
 * (3) once the App answers, replays the scenario in compressed real time: push webhooks, the
 * reports the Dev Container Feature would send, and the Codespaces' live state as GitHub's API
 * shows it; (4) waits for two more polls, asks the App about every pushed commit and compares
 * its links with the ground truth; (5) writes RESULTS.md and raw files. Exit status: 0 when
 * every requirement is met, 1 when one is missed, 2 when the run itself could not be done.
 */
public class AttributionSimulation {

    static final String ZERO = "0000000000000000000000000000000000000000";
    static final String ORG = "orbit-works";
    static final long ORG_ID = 71_400_023;
    static final long INSTALLATION_ID = 48_151_623;
    static final long APP_ID = 1;
    /** Minutes of inactivity after which GitHub stops a Codespace (its default idle timeout). */
    static final int IDLE_MINUTES = 30;

    static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        Settings settings = new Settings(o);
        int status;
        try {
            status = new AttributionSimulation(settings).run();
        } catch (RunBroken e) {
            System.err.println("attribution: the run could not be done: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    // ==== settings ================================================================================

    static final class Settings {
        final long seed;
        final int developers, codespaces, repositories, pollingRepositories, adversaries;
        final int durationSeconds;
        final double scale; // real seconds per simulated minute
        final int pollIntervalSeconds, outageSeconds, githubPort;
        final String appUrl, secret, apiToken, inferenceWindow, eventsPerMinute;
        final Path out, portFile, appLog, results;
        final String rerun, appCommit;
        final long buildSeconds;
        final boolean planOnly;

        Settings(Options o) {
            planOnly = o.has("plan-only");
            seed = o.longValue("seed", 1);
            developers = Math.max(4, o.integer("developers", 60));
            codespaces = Math.max(developers, o.integer("codespaces", 180));
            repositories = Math.max(2, o.integer("repositories", 8));
            pollingRepositories = Math.min(repositories - 1, Math.max(1, o.integer("polling-repositories", 3)));
            adversaries = Math.min(developers / 4, Math.max(0, o.integer("adversaries", 3)));
            durationSeconds = o.integer("duration", 240);
            scale = o.decimal("scale", 2.0);
            pollIntervalSeconds = o.integer("poll-interval", 10);
            outageSeconds = o.integer("outage", 20);
            githubPort = o.integer("github-port", 0);
            appUrl = o.get("app-url", "http://127.0.0.1:8095");
            secret = planOnly ? o.get("secret", "") : o.require("secret");
            apiToken = planOnly ? o.get("api-token", "") : o.require("api-token");
            inferenceWindow = o.get("inference-window", "30s");
            eventsPerMinute = o.get("events-per-minute", "120");
            out = Path.of(o.get("out", "/tmp/attribution-sim"));
            portFile = Path.of(o.get("port-file", out.resolve("github.port").toString()));
            appLog = o.has("app-log") ? Path.of(o.get("app-log", "")) : null;
            results = Path.of(o.get("results", out.resolve("RESULTS.md").toString()));
            rerun = o.get("rerun", "bench/attribution/run.sh");
            appCommit = o.get("app-commit", "unknown");
            buildSeconds = o.longValue("build-seconds", -1);
        }

        /** Simulated seconds the scenario spans. */
        long simulatedSeconds() {
            return Math.round(durationSeconds / scale * 60);
        }

        /** Real milliseconds per simulated second. */
        double realMillisPerSimSecond() {
            return scale * 1000 / 60;
        }
    }

    final Settings settings;
    final Random rnd;
    final HexFormat hex = HexFormat.of();

    AttributionSimulation(Settings settings) {
        this.settings = settings;
        this.rnd = new Random(settings.seed);
    }

    int run() throws Exception {
        long started = System.currentTimeMillis();
        Files.createDirectories(settings.out);
        World world = new World(settings, rnd);
        Planner planner = new Planner(world, settings, rnd);
        Plan plan = planner.plan();
        writeTruth(world, plan);
        log(
                "planned %d steps: %d pushes, %d reports, %d commits (%d pushed); ground truth in %s",
                plan.steps.size(),
                plan.count(PushStep.class),
                plan.count(ReportStep.class),
                world.commits.size(),
                world.commits.values().stream().filter(c -> c.pushed).count(),
                settings.out);
        if (settings.planOnly) {
            behaviours.forEach((k, v) -> System.out.println(v + "\t" + k));
            return 0;
        }

        FakeGitHub github = new FakeGitHub(world, settings);
        github.start();
        Files.writeString(settings.portFile, Integer.toString(github.port()));
        log("fake GitHub on 127.0.0.1:%d; waiting for the App at %s", github.port(), settings.appUrl);
        App app = new App(settings);
        try {
            app.awaitReady(Duration.ofSeconds(240));
            Executor executor = new Executor(world, plan, github, app, settings);
            long scenarioStarted = System.currentTimeMillis();
            executor.run();
            long scenarioSeconds = (System.currentTimeMillis() - scenarioStarted) / 1000;
            long settleStarted = System.currentTimeMillis();
            executor.settle();
            long settleSeconds = (System.currentTimeMillis() - settleStarted) / 1000;
            long evaluationStarted = System.currentTimeMillis();
            Evaluation evaluation = new Evaluation(world, plan, executor, github, app, settings);
            evaluation.evaluate();
            long evaluationSeconds = (System.currentTimeMillis() - evaluationStarted) / 1000;
            Timings timings = new Timings(
                    settings.buildSeconds,
                    scenarioSeconds,
                    settleSeconds,
                    evaluationSeconds,
                    (System.currentTimeMillis() - started) / 1000);
            String results = evaluation.results(timings);
            Files.createDirectories(settings.results.toAbsolutePath().getParent());
            Files.writeString(settings.results, results);
            Files.writeString(settings.out.resolve("RESULTS.md"), results);
            log("wrote %s", settings.results);
            return evaluation.allMet() ? 0 : 1;
        } finally {
            github.stop();
        }
    }

    record Timings(long build, long scenario, long settle, long evaluation, long simulation) {}

    static void log(String format, Object... args) {
        System.err.printf("attribution: " + format + "%n", args);
    }

    static final class RunBroken extends RuntimeException {
        RunBroken(String message) {
            super(message);
        }
    }

    // ==== the world: organization, repositories, developers, Codespaces ===========================

    static final String[] REPO_NAMES = {
        "payments-api",
        "ledger-service",
        "web-console",
        "identity-service",
        "search-indexer",
        "mobile-gateway",
        "billing-jobs",
        "infra-config",
        "notification-hub",
        "data-pipeline",
        "pricing-engine",
        "audit-trail"
    };
    static final String[] FIRST = {
        "ana", "bjorn", "chen", "dara", "emeka", "farah", "goran", "hana", "ivan", "jaya", "kofi", "lena", "mateo",
        "nadia", "omar", "priya", "quinn", "rosa", "sven", "tomas", "uma", "viktor", "wen", "ximena", "yusuf", "zoe",
        "aiko", "bruno", "carla", "diego", "elif", "femi", "greta", "hugo", "ines", "jonas", "kira", "luca", "maya",
        "nils", "olga", "pablo", "rania", "sami", "tara", "ugo", "vera", "yara"
    };
    static final String[] LAST = {
        "kowalski",
        "lindqvist",
        "okafor",
        "haddad",
        "novak",
        "santos",
        "tanaka",
        "mueller",
        "dubois",
        "rossi",
        "petrov",
        "nguyen",
        "garcia",
        "kim",
        "olsen",
        "singh",
        "ibrahim",
        "costa",
        "weber",
        "moreau"
    };
    static final String[] ADJECTIVES = {
        "fluffy",
        "sturdy",
        "literate",
        "curly",
        "bookish",
        "fuzzy",
        "ideal",
        "super",
        "probable",
        "vigilant",
        "musical",
        "jubilant",
        "legendary",
        "crispy",
        "glorious",
        "special",
        "friendly",
        "miniature",
        "shiny",
        "silver"
    };
    static final String[] NOUNS = {
        "space",
        "waffle",
        "garbanzo",
        "umbrella",
        "guacamole",
        "parakeet",
        "fishstick",
        "potato",
        "robot",
        "telegram",
        "engine",
        "disco",
        "train",
        "sniffle",
        "broccoli",
        "couscous",
        "memory",
        "pancake",
        "tribble",
        "chainsaw"
    };
    static final String[][] MACHINES = {
        {"basicLinux32gb", "2 cores, 8 GB RAM, 32 GB storage", "2"},
        {"standardLinux32gb", "4 cores, 16 GB RAM, 32 GB storage", "4"},
        {"premiumLinux", "8 cores, 32 GB RAM, 64 GB storage", "8"}
    };
    static final ZoneOffset[] ZONES = {
        ZoneOffset.UTC,
        ZoneOffset.ofHours(1),
        ZoneOffset.ofHours(2),
        ZoneOffset.ofHours(-5),
        ZoneOffset.ofHours(-8),
        ZoneOffset.ofHoursMinutes(5, 30),
        ZoneOffset.ofHours(9)
    };

    static final class Repo {
        final int index;
        final long id;
        final String name;
        final boolean reporter; // its devcontainer has the Feature
        final Map<String, String> heads = new TreeMap<>(); // the remote: branch -> sha
        final Set<String> pushed = new HashSet<>(); // commits GitHub has
        final List<Feature> features = new ArrayList<>();
        final List<String> teamBranches = new ArrayList<>();
        final List<Dev> devs = new ArrayList<>();
        int nextPullRequest = 100;

        Repo(int index, long id, String name, boolean reporter) {
            this.index = index;
            this.id = id;
            this.name = name;
            this.reporter = reporter;
        }

        String fullName() {
            return ORG + "/" + name;
        }

        String population() {
            return reporter ? "reporter" : "polling";
        }
    }

    static final class Dev {
        final int index;
        final String login, name, email;
        final long id;
        final ZoneOffset zone;
        boolean adversary;
        double laptopShare;
        final List<Repo> repos = new ArrayList<>(); // first: primary
        final List<Codespace> codespaces = new ArrayList<>();
        final Map<Repo, Env> laptops = new HashMap<>();
        final Deque<Task> todo = new ArrayDeque<>();
        Codespace lastCodespace;
        int branches;

        Dev(int index, String login, String name, long id, ZoneOffset zone) {
            this.index = index;
            this.login = login;
            this.name = name;
            this.id = id;
            this.zone = zone;
            this.email = login + "@" + ORG + ".example";
        }

        @Override
        public String toString() {
            return login;
        }
    }

    static final class Codespace {
        final String name, displayName, environmentId;
        final long id;
        final Dev owner;
        final Repo repo;
        final boolean trailer;
        final String[] machine;
        Env env;
        boolean exists, running;
        long createdAt, lastUsedAt, updatedAt, lastActivity, createAt = -1;
        String token;
        final List<String> tokens = new ArrayList<>();

        Codespace(
                String name,
                String displayName,
                String environmentId,
                long id,
                Dev owner,
                Repo repo,
                boolean trailer,
                String[] machine) {
            this.name = name;
            this.displayName = displayName;
            this.environmentId = environmentId;
            this.id = id;
            this.owner = owner;
            this.repo = repo;
            this.trailer = trailer;
            this.machine = machine;
        }

        /** Whether the Feature reports from here: the repository's devcontainer has it. */
        boolean reports() {
            return repo.reporter;
        }
    }

    /** A clone of one repository: a Codespace's, or a developer's laptop's. */
    static final class Env {
        final Dev dev;
        final Repo repo;
        final Codespace codespace; // null: a laptop
        final Map<String, String> local = new TreeMap<>();
        final Map<String, String> tracking = new TreeMap<>(); // origin/* as last fetched
        String current = "main";
        boolean dirty;

        Env(Dev dev, Repo repo, Codespace codespace) {
            this.dev = dev;
            this.repo = repo;
            this.codespace = codespace;
        }

        String head() {
            return local.get(current);
        }

        String label() {
            return codespace == null ? "laptop" : "codespace";
        }
    }

    /** A feature branch and, once opened, its pull request. */
    static final class Feature {
        final String name;
        final Repo repo;
        final Dev owner;
        final Env origin;
        boolean merged;
        long pullRequestAt = -1;
        int number;
        Dev reviewer;

        Feature(String name, Repo repo, Dev owner, Env origin) {
            this.name = name;
            this.repo = repo;
            this.owner = owner;
            this.origin = origin;
        }

        boolean pushed() {
            return repo.heads.containsKey(name);
        }
    }

    static final class Commit {
        final String sha, treeSha;
        final Repo repo;
        final List<String> parents;
        final Dev author, maker; // maker: who ran git (the committer), or who merged on github.com
        final Codespace madeIn; // null: a laptop or github.com
        final String where; // codespace, laptop, web, history
        final String how; // commit, amend, rebase, merge, am, web-merge, history
        String message;
        final long authoredAt, committedAt; // simulated seconds
        Codespace trailerNames; // the Codespace its "Codespace:" trailer names, if any
        boolean forged; // that trailer names someone else's Codespace on purpose
        boolean pushed;
        long firstPushedAt = Long.MIN_VALUE;

        Commit(
                String sha,
                String treeSha,
                Repo repo,
                List<String> parents,
                Dev author,
                Dev maker,
                Codespace madeIn,
                String where,
                String how,
                String message,
                long authoredAt,
                long committedAt) {
            this.sha = sha;
            this.treeSha = treeSha;
            this.repo = repo;
            this.parents = parents;
            this.author = author;
            this.maker = maker;
            this.madeIn = madeIn;
            this.where = where;
            this.how = how;
            this.message = message;
            this.authoredAt = authoredAt;
            this.committedAt = committedAt;
        }
    }

    final class World {
        final List<Repo> repos = new ArrayList<>();
        final List<Dev> devs = new ArrayList<>();
        final List<Codespace> codespaces = new ArrayList<>();
        final Map<String, Codespace> codespaceByName = new HashMap<>();
        final Map<String, Commit> commits = new LinkedHashMap<>();
        final Map<String, Dev> tokens = new ConcurrentHashMap<>();
        final Map<String, Dev> devByLogin = new HashMap<>();

        World(Settings s, Random r) {
            for (int i = 0; i < s.repositories; i++) {
                String name = i < REPO_NAMES.length ? REPO_NAMES[i] : "service-" + i;
                // The last ones lack the Feature in their devcontainer: Codespaces there are seen
                // only through the organization's API.
                repos.add(new Repo(i, 803_100_000L + i * 1_013L, name, i < s.repositories - s.pollingRepositories));
            }
            Set<String> logins = new HashSet<>();
            for (int i = 0; i < s.developers; i++) {
                String first, last, login;
                do {
                    first = FIRST[r.nextInt(FIRST.length)];
                    last = LAST[r.nextInt(LAST.length)];
                    login = switch (r.nextInt(4)) {
                        case 0 -> first + last;
                        case 1 -> first.charAt(0) + last;
                        default -> first + "-" + last;
                    };
                } while (!logins.add(login));
                Dev d = new Dev(
                        i,
                        login,
                        cap(first) + " " + cap(last),
                        5_200_000L + i * 7_919L,
                        ZONES[r.nextInt(ZONES.length)]);
                // Most work mainly in Codespaces; a few mostly on their laptops.
                d.laptopShare = r.nextInt(6) == 0 ? 0.6 + 0.2 * r.nextDouble() : 0.1 + 0.3 * r.nextDouble();
                devs.add(d);
                devByLogin.put(login, d);
            }
            // Adversaries: ordinary members otherwise; they work on repositories with the reporter
            // so that their own Codespace tokens are real Codespace tokens.
            List<Repo> reporterRepos = repos.stream().filter(x -> x.reporter).toList();
            for (int i = 0; i < s.adversaries; i++) {
                devs.get(devs.size() - 1 - i * 3).adversary = true;
            }
            for (Dev d : devs) {
                Repo primary = d.adversary
                        ? reporterRepos.get(r.nextInt(reporterRepos.size()))
                        : repos.get(d.index % repos.size());
                d.repos.add(primary);
                int more = r.nextInt(3);
                for (int k = 0; k < more; k++) {
                    Repo extra = repos.get(r.nextInt(repos.size()));
                    if (!d.repos.contains(extra)) {
                        d.repos.add(extra);
                    }
                }
                for (Repo repo : d.repos) {
                    repo.devs.add(d);
                }
            }
            // Codespaces: everyone has one; the rest are spread with at most four each (more only
            // when the totals ask for it), on the developer's repositories, primary first.
            int[] count = new int[devs.size()];
            java.util.Arrays.fill(count, 1);
            int perDevCap = Math.max(4, (int) Math.ceil(s.codespaces / (double) devs.size()) + 1);
            for (int left = s.codespaces - devs.size(); left > 0; ) {
                int i = r.nextInt(devs.size());
                if (count[i] < perDevCap) {
                    count[i]++;
                    left--;
                }
            }
            long csId = 41_000_000;
            for (Dev d : devs) {
                for (int k = 0; k < count[d.index]; k++) {
                    Repo repo = k == 0 || r.nextInt(100) < 55 ? d.repos.get(0) : d.repos.get(r.nextInt(d.repos.size()));
                    String adjective = ADJECTIVES[r.nextInt(ADJECTIVES.length)];
                    String noun = NOUNS[r.nextInt(NOUNS.length)];
                    String name;
                    do {
                        name = d.login + "-" + adjective + "-" + noun + "-" + randomAlnum(r, 10);
                    } while (codespaceByName.containsKey(name));
                    // Some developers open their Codespaces with the Feature's trailer option on.
                    boolean trailer = repo.reporter && !d.adversary && r.nextInt(100) < 15;
                    Codespace cs = new Codespace(
                            name,
                            adjective + " " + noun,
                            new UUID(r.nextLong(), r.nextLong()).toString(),
                            csId += 1 + r.nextInt(900),
                            d,
                            repo,
                            trailer,
                            MACHINES[r.nextInt(MACHINES.length)]);
                    cs.env = new Env(d, repo, cs);
                    codespaces.add(cs);
                    codespaceByName.put(name, cs);
                    d.codespaces.add(cs);
                }
            }
            for (Repo repo : repos) {
                String topic = repo.name.split("-")[0];
                repo.teamBranches.add("release/next");
                repo.teamBranches.add("team/" + topic + "-platform");
            }
        }

        Env laptop(Dev d, Repo repo) {
            return d.laptops.computeIfAbsent(repo, x -> new Env(d, x, null));
        }

        long codespacesWithReporter() {
            return codespaces.stream().filter(Codespace::reports).count();
        }
    }

    static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String randomAlnum(Random r, int n) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    // ==== the plan: what happens when, in simulated seconds ========================================

    interface Step {
        long at();
    }

    /** A push as GitHub reports it in its webhook. */
    record PushStep(
            long at,
            Repo repo,
            String branch,
            String before,
            String after,
            boolean created,
            boolean deleted,
            boolean forced,
            List<String> commits,
            Set<String> distinct,
            Dev pusher,
            String env,
            String behaviour)
            implements Step {}

    /**
     * A report to POST /api/v1/codespaces/events. kind: honest (the Feature), claim (someone
     * else's Codespace), steal (another's commit against one's own Codespace), invalid-token.
     */
    record ReportStep(
            long at,
            String eventId,
            String codespace,
            String token,
            Dev sender,
            String type,
            String repository,
            String branch,
            String sha,
            List<String> commits,
            String kind,
            String tag)
            implements Step {}

    /** A Codespace's state as GitHub's API shows it from then on. */
    record StateStep(
            long at,
            Codespace codespace,
            boolean exists,
            boolean running,
            String ref,
            int ahead,
            int behind,
            boolean dirty,
            long createdAt,
            long lastUsedAt,
            long updatedAt)
            implements Step {}

    record Task(long delay, Runnable run) {}

    static final class Plan {
        final List<Step> steps = new ArrayList<>();

        long count(Class<?> type) {
            return steps.stream().filter(type::isInstance).count();
        }
    }

    /** Counts what the planner did, by behaviour, for the results. */
    final Map<String, Integer> behaviours = new TreeMap<>();

    void counted(String behaviour) {
        behaviours.merge(behaviour, 1, Integer::sum);
    }

    final class Planner {
        final World world;
        final Settings s;
        final Random r;
        final Plan plan = new Plan();
        final PriorityQueue<Wake> wakes = new PriorityQueue<>();
        long now;
        long seq;
        final long end;

        record Wake(long at, long seq, Runnable run) implements Comparable<Wake> {
            @Override
            public int compareTo(Wake o) {
                return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
            }
        }

        Planner(World world, Settings s, Random r) {
            this.world = world;
            this.s = s;
            this.r = r;
            this.end = s.simulatedSeconds();
        }

        void at(long time, Runnable run) {
            wakes.add(new Wake(time, seq++, run));
        }

        long minutes(double from, double to) {
            return Math.round((from + r.nextDouble() * (to - from)) * 60);
        }

        Plan plan() {
            history();
            for (Dev d : world.devs) {
                // Days start at different times; some developers join late.
                at(r.nextInt(100) < 70 ? minutes(0, 10) : minutes(10, end / 60.0 * 0.4), () -> wake(d));
                if (d.adversary) {
                    at(minutes(5, 12), () -> adversary(d));
                    if (s.outageSeconds > 0) {
                        // Probes while GitHub cannot be asked: the outage starts halfway through.
                        long from = end / 2;
                        long length = Math.round(s.outageSeconds / s.scale * 60);
                        at(from + length / 4 + r.nextInt((int) Math.max(1, length / 2)), () -> outageProbe(d));
                    }
                }
            }
            while (!wakes.isEmpty()) {
                Wake w = wakes.poll();
                if (w.at > end) {
                    break;
                }
                now = w.at;
                w.run.run();
            }
            plan.steps.sort(Comparator.comparingLong(Step::at)); // stable: same-time steps keep their order
            return plan;
        }

        // ---- the git model ----------------------------------------------------------------

        String sha() {
            byte[] b = new byte[20];
            r.nextBytes(b);
            return hex.formatHex(b);
        }

        Set<String> ancestors(String sha) {
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>();
            if (sha != null) {
                todo.add(sha);
            }
            while (!todo.isEmpty()) {
                String s = todo.poll();
                if (seen.add(s)) {
                    Commit c = world.commits.get(s);
                    if (c != null) {
                        todo.addAll(c.parents);
                    }
                }
            }
            return seen;
        }

        Set<String> ancestorsOfAll(Collection<String> heads) {
            Set<String> all = new HashSet<>();
            for (String h : heads) {
                if (!all.contains(h)) {
                    all.addAll(ancestors(h));
                }
            }
            return all;
        }

        boolean isAncestor(String ancestor, String of) {
            return ancestors(of).contains(ancestor);
        }

        /** Commits reachable from head and not in exclude, parents before children. */
        List<String> between(String head, Set<String> exclude) {
            return AttributionSimulation.between(world.commits, head, exclude);
        }

        Commit newCommit(Env e, List<String> parents, Dev author, String how, String message, long authoredAt) {
            Commit c = new Commit(
                    sha(),
                    sha(),
                    e.repo,
                    parents,
                    author,
                    e.dev,
                    e.codespace,
                    e.codespace != null ? "codespace" : "laptop",
                    how,
                    message,
                    authoredAt,
                    now);
            world.commits.put(c.sha, c);
            return c;
        }

        String message(Dev author) {
            String verb = VERBS[r.nextInt(VERBS.length)];
            String thing = THINGS[r.nextInt(THINGS.length)];
            StringBuilder m = new StringBuilder(verb).append(' ').append(thing);
            if (r.nextInt(3) == 0) {
                m.append(" in ").append(THINGS[r.nextInt(THINGS.length)]);
            }
            if (r.nextInt(2) == 0) {
                m.append("\n\n").append(SENTENCES[r.nextInt(SENTENCES.length)]);
            }
            return m.toString();
        }

        void fetch(Env e) {
            e.tracking.clear();
            e.tracking.putAll(e.repo.heads);
        }

        /** git rev-list --max-count=max HEAD --not --remotes: commits no remote-tracking ref reaches, newest first. */
        List<String> notOnRemotes(Env e, int max) {
            List<String> list = new ArrayList<>(between(e.head(), ancestorsOfAll(e.tracking.values())));
            java.util.Collections.reverse(list);
            return list.subList(0, Math.min(max, list.size()));
        }

        /**
         * The Feature's post-merge and post-rewrite hooks: a commit event for the commits no remote
         * has yet (a merge commit, rewritten commits), none after a fast-forward.
         */
        void reportMadeHere(Env e, String tag) {
            List<String> commits = notOnRemotes(e, 100);
            if (!commits.isEmpty()) {
                report(e, "commit", e.head(), commits, tag);
            }
        }

        /** What the Feature sends, when env is a running Codespace of a repository with the Feature. */
        void report(Env e, String type, String sha, List<String> commits, String tag) {
            Codespace cs = e.codespace;
            if (cs == null || !cs.reports() || !cs.running) {
                return;
            }
            plan.steps.add(new ReportStep(
                    now,
                    uuid(),
                    cs.name,
                    cs.token,
                    e.dev,
                    type,
                    e.repo.fullName(),
                    e.current,
                    sha,
                    commits,
                    "honest",
                    tag));
        }

        String uuid() {
            return new UUID(
                            (r.nextLong() & ~0xF000L) | 0x4000L,
                            (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                    .toString();
        }

        /** The Codespace's state as GitHub shows it, after something changed it. */
        void state(Codespace cs) {
            Env e = cs.env;
            String head = e.head();
            int ahead, behind;
            String upstream = e.tracking.get(e.current);
            if (upstream != null) {
                ahead = between(head, ancestors(upstream)).size();
                behind = between(upstream, ancestors(head)).size();
            } else {
                ahead = between(head, ancestorsOfAll(e.tracking.values())).size();
                behind = 0;
            }
            cs.updatedAt = now;
            plan.steps.add(new StateStep(
                    now,
                    cs,
                    cs.exists,
                    cs.running,
                    e.current,
                    ahead,
                    behind,
                    e.dirty,
                    cs.createdAt,
                    cs.lastUsedAt,
                    cs.updatedAt));
        }

        void touch(Env e) {
            Codespace cs = e.codespace;
            if (cs == null) {
                return;
            }
            e.dirty = r.nextInt(100) < 45; // editing the next change, or not
            cs.lastActivity = now;
            state(cs);
            long check = now + IDLE_MINUTES * 60L;
            at(check, () -> {
                if (cs.running && now - cs.lastActivity >= IDLE_MINUTES * 60L) {
                    stop(cs, "idle timeout");
                }
            });
        }

        /**
         * A developer about to run git in env: a Codespace in use is running, and using it is
         * activity (GitHub's idle timeout counts from the last one).
         */
        void use(Env e) {
            Codespace cs = e.codespace;
            if (cs == null) {
                return;
            }
            if (!cs.running) {
                start(cs);
            }
            cs.lastActivity = now;
        }

        void start(Codespace cs) {
            if (cs.running) {
                cs.lastActivity = now;
                return;
            }
            cs.running = true;
            cs.lastUsedAt = now;
            newToken(cs);
            counted("Codespace started");
            state(cs); // GitHub shows it running before its postStartCommand reports
            report(cs.env, "started", cs.env.head(), List.of(), "started (postStartCommand)");
            touch(cs.env);
        }

        void stop(Codespace cs, String why) {
            if (!cs.running) {
                return;
            }
            cs.running = false;
            counted("Codespace stopped (" + why + ")");
            state(cs);
        }

        void newToken(Codespace cs) {
            // A Codespace's GITHUB_TOKEN is its own; a new session gets a new one. Old ones stay valid.
            cs.token = "ghu_" + randomAlnum(r, 36);
            cs.tokens.add(cs.token);
            world.tokens.put(cs.token, cs.owner);
        }

        void create(Codespace cs) {
            cs.exists = true;
            cs.createdAt = now;
            cs.running = true;
            cs.lastUsedAt = now;
            newToken(cs);
            fetch(cs.env);
            cs.env.local.clear();
            cs.env.local.put("main", cs.repo.heads.get("main"));
            cs.env.current = "main";
            cs.owner.lastCodespace = cs;
            counted("Codespace created during the run");
            state(cs); // GitHub lists it before its postCreateCommand reports
            report(cs.env, "started", cs.env.head(), List.of(), "register (postCreateCommand)");
            report(cs.env, "started", cs.env.head(), List.of(), "started (postStartCommand)");
            touch(cs.env);
        }

        void checkout(Env e, String branch) {
            use(e);
            if (branch.equals(e.current) && e.local.containsKey(branch)) {
                return;
            }
            fetch(e);
            if (!e.local.containsKey(branch)) {
                String from = e.tracking.getOrDefault(branch, e.tracking.get("main"));
                e.local.put(branch, from);
            }
            e.current = branch;
            report(e, "head", e.head(), List.of(), "head (post-checkout)");
            touch(e);
        }

        /** git pull --rebase: fast-forward, or replay the local commits on the remote branch. */
        void pull(Env e) {
            use(e);
            fetch(e);
            String upstream = e.tracking.get(e.current);
            String head = e.head();
            if (upstream == null || upstream.equals(head) || isAncestor(upstream, head)) {
                return;
            }
            if (isAncestor(head, upstream)) {
                e.local.put(e.current, upstream);
                reportMadeHere(e, "commit (post-merge after a fast-forward pull)");
            } else {
                rebaseOnto(e, upstream, "commit (post-rewrite after pull --rebase)");
            }
            touch(e);
        }

        void rebaseOnto(Env e, String onto, String tag) {
            use(e);
            List<String> replay = between(e.head(), ancestors(onto));
            String tip = onto;
            for (String sha : replay) {
                Commit old = world.commits.get(sha);
                if (old.parents.size() > 1) {
                    continue; // rebase drops merge commits
                }
                Commit c = newCommit(e, List.of(tip), old.author, "rebase", old.message, old.authoredAt);
                c.trailerNames = old.trailerNames;
                c.forged = old.forged;
                tip = c.sha;
            }
            e.local.put(e.current, tip);
            reportMadeHere(e, tag);
        }

        void commit(Env e, String how) {
            use(e);
            Dev d = e.dev;
            Commit c = newCommit(e, List.of(e.head()), d, how, message(d), now);
            decorate(e, c);
            e.local.put(e.current, c.sha);
            report(e, "commit", c.sha, List.of(c.sha), "commit (post-commit)");
            touch(e);
        }

        /** Trailers: the Feature's option in the developer's own Codespace, or a forged one. */
        void decorate(Env e, Commit c) {
            Codespace named = null;
            boolean forged = false;
            if (e.dev.adversary && r.nextInt(100) < 40) {
                List<Codespace> victims = world.codespaces.stream()
                        .filter(x -> x.exists && x.repo == e.repo && x.owner != e.dev)
                        .toList();
                if (!victims.isEmpty()) {
                    named = victims.get(r.nextInt(victims.size()));
                    forged = true;
                    counted("adversary: forged Codespace trailer");
                }
            } else if (e.codespace != null && e.codespace.trailer) {
                named = e.codespace;
            }
            if (named != null) {
                // The Feature's prepare-commit-msg hook (git interpret-trailers), or typed by hand.
                c.message = c.message + "\n\nCodespace: " + named.name;
                c.trailerNames = named;
                c.forged = forged;
            }
        }

        Commit latest(String sha) {
            return world.commits.get(sha);
        }

        /** git commit --amend of the last commit: post-commit, then post-rewrite. */
        boolean amend(Env e) {
            use(e);
            Commit head = latest(e.head());
            if (head == null || head.parents.size() != 1 || head.author != e.dev || head.where.equals("history")) {
                return false;
            }
            Commit c = newCommit(
                    e,
                    head.parents,
                    head.author,
                    "amend",
                    head.message + (r.nextBoolean() ? "" : "\n\nAddress review comments."),
                    head.authoredAt);
            c.trailerNames = head.trailerNames;
            c.forged = head.forged;
            e.local.put(e.current, c.sha);
            report(e, "commit", c.sha, List.of(c.sha), "commit (post-commit, amend)");
            reportMadeHere(e, "commit (post-rewrite, amend)");
            touch(e);
            return true;
        }

        /** git merge of another commit into the current branch. */
        void merge(Env e, String other, String what) {
            use(e);
            String head = e.head();
            if (other == null || isAncestor(other, head)) {
                return;
            }
            if (isAncestor(head, other)) {
                e.local.put(e.current, other);
                reportMadeHere(e, "commit (post-merge after a fast-forward merge)");
            } else {
                Commit c =
                        newCommit(e, List.of(head, other), e.dev, "merge", "Merge " + what + " into " + e.current, now);
                if (e.codespace != null && e.codespace.trailer) {
                    c.message = c.message + "\n\nCodespace: " + e.codespace.name;
                    c.trailerNames = e.codespace;
                }
                e.local.put(e.current, c.sha);
                reportMadeHere(e, "commit (post-merge, merge commit)");
            }
            touch(e);
        }

        /** git am of a colleague's patch: their authorship, made here; git runs no post-commit hook. */
        void applyPatch(Env e, Dev author) {
            use(e);
            Commit c = newCommit(e, List.of(e.head()), author, "am", message(author), now - 3600);
            e.local.put(e.current, c.sha);
            touch(e);
        }

        /**
         * git push of the current branch: the Feature's pre-push report, then GitHub's webhook.
         * A non-fast-forward push without force is rejected and preceded by pull --rebase.
         */
        void push(Env e, boolean force, String behaviour) {
            use(e);
            Repo repo = e.repo;
            String branch = e.current;
            String head = e.head();
            String remote = repo.heads.get(branch);
            if (head.equals(remote)) {
                return;
            }
            if (remote != null && !force && !isAncestor(remote, head)) {
                counted("push rejected, pull --rebase first");
                pull(e);
                head = e.head();
                remote = repo.heads.get(branch);
                if (head.equals(remote)) {
                    return;
                }
            }
            boolean forced = remote != null && !isAncestor(remote, head);
            Codespace cs = e.codespace;
            if (cs != null && cs.reports() && cs.running) {
                // The Feature's pre-push: the commits no remote has yet (git rev-list local --not --remotes).
                report(e, "push", head, notOnRemotes(e, 1000), "push (pre-push)");
            }
            webhookPush(repo, branch, remote, head, forced, e.dev, e.label(), behaviour, 1);
            e.tracking.put(branch, head);
            touch(e);
        }

        /** GitHub's side of a push: its payload lists the commits of the compare before...after. */
        void webhookPush(
                Repo repo,
                String branch,
                String before,
                String after,
                boolean forced,
                Dev pusher,
                String env,
                String behaviour,
                long delay) {
            List<String> listed;
            if (before == null) {
                // A new branch lists the commits new to the repository (none when it starts at a known commit).
                listed = between(after, ancestorsOfAll(repo.heads.values()));
            } else {
                listed = between(after, ancestors(before));
            }
            Set<String> distinct = new HashSet<>();
            for (String sha : listed) {
                if (!repo.pushed.contains(sha)) {
                    distinct.add(sha);
                }
            }
            plan.steps.add(new PushStep(
                    now + delay,
                    repo,
                    branch,
                    before == null ? ZERO : before,
                    after,
                    before == null,
                    false,
                    forced,
                    listed,
                    distinct,
                    pusher,
                    env,
                    behaviour));
            repo.heads.put(branch, after);
            for (String sha : ancestors(after)) {
                if (repo.pushed.add(sha)) {
                    Commit c = world.commits.get(sha);
                    if (c != null && !c.pushed) {
                        c.pushed = true;
                        c.firstPushedAt = now + delay;
                    }
                }
            }
            counted("push: " + behaviour + (forced ? " (forced)" : ""));
        }

        void deleteBranch(Repo repo, String branch, Dev pusher) {
            String before = repo.heads.remove(branch);
            if (before == null) {
                return;
            }
            plan.steps.add(new PushStep(
                    now + 2,
                    repo,
                    branch,
                    before,
                    ZERO,
                    false,
                    true,
                    false,
                    List.of(),
                    Set.of(),
                    pusher,
                    "web",
                    "branch deleted after merge"));
            counted("push: branch deleted after merge");
        }

        /** A pull request merged on github.com: a merge commit by web-flow, pushed by the merger. */
        void webMerge(Feature f, Dev merger, String behaviour) {
            Repo repo = f.repo;
            String main = repo.heads.get("main");
            String tip = repo.heads.get(f.name);
            if (f.merged || tip == null) {
                return;
            }
            f.merged = true;
            if (isAncestor(tip, main)) {
                return;
            }
            String message = "Merge pull request #" + f.number + " from " + ORG + "/" + f.name + "\n\n"
                    + THINGS[r.nextInt(THINGS.length)];
            Commit m = new Commit(
                    sha(),
                    sha(),
                    repo,
                    List.of(main, tip),
                    merger,
                    merger,
                    null,
                    "web",
                    "web-merge",
                    message,
                    now,
                    now);
            world.commits.put(m.sha, m);
            webhookPush(repo, "main", main, m.sha, false, merger, "web", behaviour, 0);
            if (r.nextInt(100) < 60) {
                deleteBranch(repo, f.name, merger);
            }
        }

        // ---- history before the run ------------------------------------------------------

        void history() {
            for (Repo repo : world.repos) {
                // The root existed long before; the App first hears of main from the first push.
                Dev someone = repo.devs.isEmpty() ? world.devs.get(0) : repo.devs.get(r.nextInt(repo.devs.size()));
                Commit root = new Commit(
                        sha(),
                        sha(),
                        repo,
                        List.of(),
                        someone,
                        someone,
                        null,
                        "history",
                        "history",
                        "Initial commit",
                        -86_400 * 30,
                        -86_400 * 30);
                world.commits.put(root.sha, root);
                repo.heads.put("main", root.sha);
                repo.pushed.add(root.sha);
                Env laptop = world.laptop(someone, repo);
                fetch(laptop);
                laptop.local.put("main", root.sha);
                String tip = root.sha;
                for (int i = 0; i < 3; i++) {
                    Commit c = new Commit(
                            sha(),
                            sha(),
                            repo,
                            List.of(tip),
                            someone,
                            someone,
                            null,
                            "laptop",
                            "commit",
                            message(someone),
                            -86_400 + i * 1_800,
                            -86_400 + i * 1_800);
                    world.commits.put(c.sha, c);
                    tip = c.sha;
                }
                laptop.local.put("main", tip);
                webhookPush(
                        repo,
                        "main",
                        root.sha,
                        tip,
                        false,
                        someone,
                        "laptop",
                        "yesterday's work, pushed at the start",
                        0);
                laptop.tracking.put("main", tip);
            }
            for (Codespace cs : world.codespaces) {
                Env e = cs.env;
                fetch(e);
                e.local.put("main", cs.repo.heads.get("main"));
                e.current = "main";
                if (r.nextInt(100) < 8) {
                    // Created during the run, by its owner, at some point.
                    cs.exists = false;
                    cs.createAt = minutes(5, end / 60.0 * 0.6);
                    at(cs.createAt, () -> create(cs));
                    continue;
                }
                cs.exists = true;
                cs.createdAt = -86_400L * (1 + r.nextInt(20)) - r.nextInt(80_000);
                newToken(cs);
                if (r.nextInt(100) < 15) {
                    // Running already: used a few minutes before the run began.
                    cs.running = true;
                    cs.lastUsedAt = -60L * (1 + r.nextInt(20));
                    cs.lastActivity = 0;
                    long check = IDLE_MINUTES * 60L - minutes(0, 10);
                    at(check, () -> {
                        if (cs.running && now - cs.lastActivity >= IDLE_MINUTES * 60L - 600) {
                            stop(cs, "idle timeout");
                        }
                    });
                } else {
                    cs.lastUsedAt = Math.max(cs.createdAt, -3_600L * (1 + r.nextInt(72)));
                }
                cs.updatedAt = cs.lastUsedAt;
                plan.steps.add(new StateStep(
                        0, cs, true, cs.running, "main", 0, 0, false, cs.createdAt, cs.lastUsedAt, cs.lastUsedAt));
            }
        }

        // ---- developers' days --------------------------------------------------------------

        void wake(Dev d) {
            if (now > end - 120) {
                return;
            }
            if (d.todo.isEmpty()) {
                session(d);
            }
            Task task = d.todo.poll();
            task.run.run();
            Task next = d.todo.peek();
            at(now + (next != null ? next.delay : minutes(2, 12)), () -> wake(d));
        }

        final class Script {
            final List<Task> tasks = new ArrayList<>();

            Script then(long delay, Runnable run) {
                tasks.add(new Task(delay, run));
                return this;
            }
        }

        long think() {
            return minutes(2, 8);
        }

        long moment() {
            return 20 + r.nextInt(70);
        }

        void session(Dev d) {
            Script s = new Script();
            int roll = r.nextInt(100);
            Feature waiting = waitingPullRequest(d);
            Feature own = ownOldPullRequest(d);
            if (waiting != null && roll < 30) {
                review(d, waiting, s);
            } else if (own != null && roll < 45) {
                s.then(0, () -> webMerge(own, d, "pull request merged on github.com by its author"));
            } else {
                Env e = chooseEnv(d);
                int kind = r.nextInt(100);
                boolean done = false;
                if (kind < 10) {
                    done = besideCodespace(d, s);
                } else if (kind < 20) {
                    done = teamBranch(e, s);
                } else if (kind < 28) {
                    done = mainFix(e, s);
                } else if (kind < 36) {
                    done = rebaseOnMain(e, s);
                } else if (kind < 42) {
                    done = mergeMainIn(e, s);
                } else if (kind < 47) {
                    done = amendAndForcePush(e, s);
                } else if (kind < 52) {
                    done = localMergeToMain(e, s);
                } else if (kind < 56) {
                    done = patchFromColleague(e, s);
                }
                if (!done) {
                    featureWork(e, s);
                }
            }
            if (s.tasks.isEmpty()) {
                s.then(0, () -> {});
            }
            d.todo.addAll(s.tasks);
        }

        Env chooseEnv(Dev d) {
            List<Codespace> usable = d.codespaces.stream().filter(c -> c.exists).toList();
            if (usable.isEmpty() || r.nextDouble() < d.laptopShare) {
                Repo repo = r.nextInt(100) < 60 ? d.repos.get(0) : d.repos.get(r.nextInt(d.repos.size()));
                Env e = world.laptop(d, repo);
                if (e.local.isEmpty()) {
                    fetch(e);
                    e.local.put("main", e.tracking.get("main"));
                    e.current = "main";
                }
                return e;
            }
            Codespace cs = d.lastCodespace != null && d.lastCodespace.exists && r.nextInt(100) < 60
                    ? d.lastCodespace
                    : usable.get(r.nextInt(usable.size()));
            d.lastCodespace = cs;
            return cs.env;
        }

        void begin(Env e, Script s) {
            s.then(0, () -> {
                if (e.codespace != null) {
                    start(e.codespace);
                }
            });
        }

        void finish(Env e, Script s) {
            s.then(moment(), () -> {
                if (e.codespace != null && r.nextInt(100) < 35) {
                    stop(e.codespace, "stopped by its owner");
                }
            });
        }

        /** The developer's own unmerged feature to continue here, or a new one. */
        Feature ownFeature(Env e) {
            Dev d = e.dev;
            List<Feature> candidates = e.repo.features.stream()
                    .filter(f -> f.owner == d && !f.merged && (f.pushed() || f.origin == e))
                    .toList();
            for (Feature f : candidates) {
                if (f.name.equals(e.current) && r.nextInt(100) < 70) {
                    return f;
                }
            }
            if (!candidates.isEmpty() && r.nextInt(100) < 50) {
                return candidates.get(r.nextInt(candidates.size()));
            }
            // Sometimes the branch another of the developer's Codespaces has checked out: the same
            // developer, repository and branch in two Codespaces at once.
            for (Codespace other : d.codespaces) {
                if (other.env != e && other.repo == e.repo && other.exists && r.nextInt(100) < 40) {
                    for (Feature f : candidates) {
                        if (f.name.equals(other.env.current) && f.pushed()) {
                            counted("same branch in two of a developer's Codespaces");
                            return f;
                        }
                    }
                }
            }
            String topic = THINGS[r.nextInt(THINGS.length)].replace(' ', '-');
            Feature f = new Feature(d.login + "/" + topic + "-" + (++d.branches), e.repo, d, e);
            e.repo.features.add(f);
            return f;
        }

        void featureWork(Env e, Script s) {
            Feature f = ownFeature(e);
            begin(e, s);
            s.then(moment(), () -> {
                checkout(e, f.name);
                pull(e);
            });
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                s.then(think(), () -> commit(e, "commit"));
                if (i < n - 1 && r.nextInt(100) < 25) {
                    s.then(moment(), () -> push(e, false, "feature branch"));
                }
            }
            s.then(moment(), () -> {
                push(e, false, "feature branch");
                if (f.pullRequestAt < 0 && f.pushed() && r.nextInt(100) < 35) {
                    f.pullRequestAt = now;
                    f.number = e.repo.nextPullRequest++;
                    counted("pull request opened");
                }
            });
            finish(e, s);
        }

        boolean teamBranch(Env e, Script s) {
            String branch = e.repo.teamBranches.get(r.nextInt(e.repo.teamBranches.size()));
            begin(e, s);
            s.then(moment(), () -> {
                checkout(e, branch);
                pull(e);
            });
            int n = 1 + r.nextInt(2);
            for (int i = 0; i < n; i++) {
                s.then(think(), () -> commit(e, "commit"));
            }
            s.then(moment(), () -> push(e, false, "shared team branch"));
            finish(e, s);
            return true;
        }

        boolean mainFix(Env e, Script s) {
            begin(e, s);
            s.then(moment(), () -> {
                checkout(e, "main");
                pull(e);
            });
            s.then(think(), () -> commit(e, "commit"));
            s.then(moment(), () -> push(e, false, "small fix straight on main"));
            finish(e, s);
            return true;
        }

        Feature pushedOwnFeature(Env e, Predicate<Feature> also) {
            List<Feature> candidates = e.repo.features.stream()
                    .filter(f -> f.owner == e.dev && !f.merged && f.pushed() && also.test(f))
                    .toList();
            return candidates.isEmpty() ? null : candidates.get(r.nextInt(candidates.size()));
        }

        boolean behindMain(Feature f) {
            return !isAncestor(f.repo.heads.get("main"), f.repo.heads.get(f.name));
        }

        boolean rebaseOnMain(Env e, Script s) {
            Feature f = pushedOwnFeature(e, this::behindMain);
            if (f == null) {
                return false;
            }
            begin(e, s);
            s.then(moment(), () -> {
                checkout(e, f.name);
                pull(e);
            });
            s.then(moment(), () -> {
                fetch(e);
                rebaseOnto(e, e.tracking.get("main"), "commit (post-rewrite after rebase onto main)");
                touch(e);
            });
            if (r.nextBoolean()) {
                s.then(think(), () -> commit(e, "commit"));
            }
            s.then(moment(), () -> push(e, true, "rebased onto main, force-pushed"));
            finish(e, s);
            return true;
        }

        boolean mergeMainIn(Env e, Script s) {
            Feature f = pushedOwnFeature(e, this::behindMain);
            if (f == null) {
                return false;
            }
            begin(e, s);
            s.then(moment(), () -> {
                checkout(e, f.name);
                pull(e);
            });
            s.then(moment(), () -> {
                fetch(e);
                merge(e, e.tracking.get("main"), "branch 'main'");
            });
            s.then(moment(), () -> push(e, false, "main merged into a feature branch"));
            finish(e, s);
            return true;
        }

        boolean amendAndForcePush(Env e, Script s) {
            Feature f = pushedOwnFeature(e, x -> true);
            if (f == null) {
                return false;
            }
            begin(e, s);
            s.then(moment(), () -> {
                checkout(e, f.name);
                pull(e);
            });
            s.then(think(), () -> {
                if (amend(e)) {
                    push(e, true, "amended, force-pushed");
                }
            });
            finish(e, s);
            return true;
        }

        boolean localMergeToMain(Env e, Script s) {
            List<Feature> candidates = e.repo.features.stream()
                    .filter(f -> !f.merged && f.pushed() && behindMainOrAhead(f))
                    .toList();
            if (candidates.isEmpty()) {
                return false;
            }
            Feature f = candidates.get(r.nextInt(candidates.size()));
            begin(e, s);
            s.then(moment(), () -> {
                if (f.merged || !f.pushed()) {
                    return;
                }
                checkout(e, "main");
                pull(e);
                fetch(e);
                merge(e, e.tracking.get(f.name), "remote-tracking branch 'origin/" + f.name + "'");
            });
            s.then(5, () -> {
                push(e, false, "colleague's branch merged into main locally");
                if (isAncestor(f.repo.heads.getOrDefault(f.name, ZERO), f.repo.heads.get("main"))) {
                    f.merged = true;
                }
            });
            finish(e, s);
            return true;
        }

        boolean behindMainOrAhead(Feature f) {
            return !isAncestor(f.repo.heads.get(f.name), f.repo.heads.get("main"));
        }

        boolean patchFromColleague(Env e, Script s) {
            List<Dev> colleagues = e.repo.devs.stream().filter(x -> x != e.dev).toList();
            if (colleagues.isEmpty()) {
                return false;
            }
            Dev author = colleagues.get(r.nextInt(colleagues.size()));
            Feature f = ownFeature(e);
            begin(e, s);
            s.then(moment(), () -> {
                checkout(e, f.name);
                pull(e);
            });
            s.then(think(), () -> applyPatch(e, author));
            if (r.nextBoolean()) {
                s.then(think(), () -> commit(e, "commit"));
            }
            s.then(moment(), () -> push(e, false, "colleague's patch applied with git am"));
            finish(e, s);
            counted("patch applied with git am");
            return true;
        }

        /** Laptop work on the branch one of the developer's running Codespaces has checked out. */
        boolean besideCodespace(Dev d, Script s) {
            for (Codespace cs : d.codespaces) {
                String branch = cs.env.current;
                if (cs.running && !branch.equals("main") && cs.repo.heads.containsKey(branch)) {
                    Env laptop = world.laptop(d, cs.repo);
                    if (laptop.local.isEmpty()) {
                        fetch(laptop);
                        laptop.local.put("main", laptop.tracking.get("main"));
                    }
                    s.then(moment(), () -> {
                        checkout(laptop, branch);
                        pull(laptop);
                    });
                    int n = 1 + r.nextInt(2);
                    for (int i = 0; i < n; i++) {
                        s.then(think(), () -> commit(laptop, "commit"));
                    }
                    s.then(moment(), () -> push(laptop, false, "laptop push beside the developer's running Codespace"));
                    return true;
                }
            }
            return false;
        }

        Feature waitingPullRequest(Dev d) {
            for (Repo repo : d.repos) {
                for (Feature f : repo.features) {
                    if (f.pullRequestAt >= 0
                            && !f.merged
                            && f.owner != d
                            && f.reviewer == null
                            && now - f.pullRequestAt > 180
                            && f.pushed()) {
                        return f;
                    }
                }
            }
            return null;
        }

        Feature ownOldPullRequest(Dev d) {
            for (Repo repo : d.repos) {
                for (Feature f : repo.features) {
                    if (f.owner == d
                            && f.pullRequestAt >= 0
                            && !f.merged
                            && now - f.pullRequestAt > 1_200
                            && f.pushed()) {
                        return f;
                    }
                }
            }
            return null;
        }

        /** A reviewer checks the branch out (in a Codespace when they have one there), then may merge. */
        void review(Dev d, Feature f, Script s) {
            f.reviewer = d;
            List<Codespace> there = d.codespaces.stream()
                    .filter(c -> c.exists && c.repo == f.repo)
                    .toList();
            Env e;
            if (!there.isEmpty() && r.nextInt(100) < 75) {
                e = there.get(r.nextInt(there.size())).env;
            } else {
                e = world.laptop(d, f.repo);
                if (e.local.isEmpty()) {
                    fetch(e);
                    e.local.put("main", e.tracking.get("main"));
                }
            }
            counted("review: pull request branch checked out by a reviewer (" + e.label() + ")");
            begin(e, s);
            s.then(moment(), () -> {
                if (f.pushed()) {
                    checkout(e, f.name);
                    pull(e);
                }
            });
            s.then(think(), () -> {
                if (r.nextInt(100) < 70) {
                    webMerge(f, d, "pull request merged on github.com by a reviewer");
                }
            });
            finish(e, s);
        }

        // ---- adversaries --------------------------------------------------------------------

        void adversary(Dev a) {
            if (now > end - 180) {
                return;
            }
            List<Codespace> own = a.codespaces.stream()
                    .filter(c -> c.exists && c.token != null)
                    .toList();
            int roll = r.nextInt(100);
            if (!own.isEmpty()) {
                Codespace mine = own.get(r.nextInt(own.size()));
                if (roll < 45) {
                    claim(a, mine);
                } else if (roll < 70) {
                    steal(a, mine, false);
                } else if (roll < 80) {
                    steal(a, mine, true);
                } else if (roll < 90) {
                    invalidToken(a);
                }
            }
            at(now + minutes(4, 12), () -> adversary(a));
        }

        /** Someone else's Codespace named in a report sent with one's own valid token. */
        record Victim(Codespace codespace, Commit commit) {}

        /** Someone else's Codespace and a pushed commit not made in it, or null when there is none. */
        Victim victimAndCommit(Dev a) {
            List<Codespace> victims = world.codespaces.stream()
                    .filter(c -> c.exists && c.owner != a)
                    .toList();
            if (victims.isEmpty()) {
                return null;
            }
            Codespace victim = victimWithOwnCommits(victims);
            // The victim's own commits not made in that Codespace: were the claim believed, the
            // link would pass the App's rule that the owner made the commit.
            List<Commit> shas = pushedIn(victim.repo, c -> c.madeIn != victim && c.author == victim.owner);
            if (shas.isEmpty()) {
                shas = pushedIn(victim.repo, c -> c.madeIn != victim);
            }
            return shas.isEmpty() ? null : new Victim(victim, shas.get(r.nextInt(shas.size())));
        }

        void claim(Dev a, Codespace mine) {
            Victim found = victimAndCommit(a);
            if (found == null) {
                return;
            }
            Codespace victim = found.codespace();
            Commit target = found.commit();
            String repository = r.nextInt(100) < 80 ? victim.repo.fullName() : mine.repo.fullName();
            String type = new String[] {"commit", "commit", "push", "started", "head"}[r.nextInt(5)];
            plan.steps.add(new ReportStep(
                    now,
                    uuid(),
                    victim.name,
                    mine.token,
                    a,
                    type,
                    repository,
                    "main",
                    target.sha,
                    type.equals("commit") || type.equals("push") ? List.of(target.sha) : List.of(),
                    "claim",
                    "claims " + victim.owner.login + "'s Codespace"));
            counted("adversary: claims another's Codespace");
        }

        /** Another developer's commit reported against one's own Codespace; maybe pushed again. */
        void steal(Dev a, Codespace mine, boolean repush) {
            List<Commit> shas = pushedIn(mine.repo, c -> c.author != a && c.maker != a);
            if (shas.isEmpty()) {
                return;
            }
            Commit target = shas.get(r.nextInt(shas.size()));
            plan.steps.add(new ReportStep(
                    now,
                    uuid(),
                    mine.name,
                    mine.token,
                    a,
                    "commit",
                    mine.repo.fullName(),
                    mine.env.current,
                    target.sha,
                    List.of(target.sha),
                    repush ? "steal-repush" : "steal",
                    "reports " + target.author.login + "'s commit from own Codespace"));
            counted(
                    repush
                            ? "adversary: reports another's commit, then pushes it to a branch of its own"
                            : "adversary: reports another's commit from own Codespace");
            if (repush) {
                String branch = a.login + "/keep-" + (++a.branches);
                webhookPush(mine.repo, branch, null, target.sha, false, a, "laptop", "adversary re-push", 30);
            }
        }

        void outageProbe(Dev a) {
            List<Codespace> own = a.codespaces.stream()
                    .filter(c -> c.exists && c.token != null)
                    .toList();
            if (!own.isEmpty()) {
                counted("adversary: probes during the GitHub outage");
                claim(a, own.get(r.nextInt(own.size())));
                invalidToken(a);
            }
        }

        void invalidToken(Dev a) {
            Victim found = victimAndCommit(a);
            if (found == null) {
                return;
            }
            Codespace victim = found.codespace();
            Commit target = found.commit();
            plan.steps.add(new ReportStep(
                    now,
                    uuid(),
                    victim.name,
                    "ghu_" + randomAlnum(r, 36),
                    a,
                    "commit",
                    victim.repo.fullName(),
                    "main",
                    target.sha,
                    List.of(target.sha),
                    "invalid-token",
                    "made-up token"));
            counted("adversary: report with a made-up token");
        }

        /** A random victim, preferring one who pushed commits of their own made outside that Codespace. */
        Codespace victimWithOwnCommits(List<Codespace> victims) {
            for (int attempt = 0; attempt < 12; attempt++) {
                Codespace v = victims.get(r.nextInt(victims.size()));
                if (!pushedIn(v.repo, c -> c.madeIn != v && c.author == v.owner).isEmpty()) {
                    return v;
                }
            }
            return victims.get(r.nextInt(victims.size()));
        }

        List<Commit> pushedIn(Repo repo, Predicate<Commit> also) {
            List<Commit> found = new ArrayList<>();
            for (Commit c : world.commits.values()) {
                if (c.repo == repo
                        && c.pushed
                        && !c.where.equals("history")
                        && c.firstPushedAt <= now
                        && also.test(c)) {
                    found.add(c);
                }
            }
            return found;
        }
    }

    /** Commits reachable from head and not in exclude, parents before children. */
    static List<String> between(Map<String, Commit> commits, String head, Set<String> exclude) {
        List<String> order = new ArrayList<>();
        if (head == null || exclude.contains(head)) {
            return order;
        }
        Set<String> seen = new HashSet<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {head, 0});
        seen.add(head);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            String sha = (String) top[0];
            int next = (Integer) top[1];
            Commit c = commits.get(sha);
            List<String> parents = c == null ? List.of() : c.parents;
            if (next < parents.size()) {
                top[1] = next + 1;
                String p = parents.get(next);
                if (!exclude.contains(p) && seen.add(p)) {
                    stack.push(new Object[] {p, 0});
                }
            } else {
                stack.pop();
                order.add(sha);
            }
        }
        return order;
    }

    static final String[] VERBS = {
        "Add",
        "Fix",
        "Refactor",
        "Remove",
        "Rename",
        "Handle",
        "Cache",
        "Retry",
        "Validate",
        "Log",
        "Document",
        "Speed up",
        "Simplify",
        "Test"
    };
    static final String[] THINGS = {
        "token refresh",
        "retry policy",
        "pagination",
        "idempotency keys",
        "webhook parsing",
        "rate limiter",
        "audit log",
        "currency rounding",
        "feature flags",
        "health checks",
        "connection pool",
        "search ranking",
        "session timeout",
        "error pages",
        "CSV export",
        "batch size",
        "dark mode",
        "metrics labels",
        "schema migration",
        "cron schedule"
    };
    static final String[] SENTENCES = {
        "The old code path stays behind a flag until the rollout finishes.",
        "Covered by a new test; the flaky one is quarantined separately.",
        "This keeps the behaviour the same for existing callers.",
        "Found while chasing the latency spike from last week.",
        "Follow-up to the review comments on the previous change."
    };

    // ==== ground truth, written before the run =====================================================

    void writeTruth(World world, Plan plan) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(settings.out.resolve("truth-commits.tsv")))) {
            w.println(
                    "sha\trepository\tpopulation\twhere\tcodespace\tmaker\tauthor\thow\tforged_trailer\tpushed\tfirst_pushed_at_sim_s");
            for (Commit c : world.commits.values()) {
                if (c.where.equals("history")) {
                    continue;
                }
                w.printf(
                        "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%n",
                        c.sha,
                        c.repo.fullName(),
                        c.repo.population(),
                        c.where,
                        c.madeIn == null ? "-" : c.madeIn.name,
                        c.maker.login,
                        c.author.login,
                        c.how,
                        c.forged ? c.trailerNames.name : "-",
                        c.pushed,
                        c.pushed ? c.firstPushedAt : "-");
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(settings.out.resolve("truth-codespaces.tsv")))) {
            w.println("codespace\towner\trepository\treporter\ttrailer_option\tcreated_during_run");
            for (Codespace cs : world.codespaces) {
                w.printf(
                        "%s\t%s\t%s\t%s\t%s\t%s%n",
                        cs.name, cs.owner.login, cs.repo.fullName(), cs.reports(), cs.trailer, cs.createAt >= 0);
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(settings.out.resolve("truth-developers.tsv")))) {
            w.println("login\tid\tadversary\tlaptop_share\trepositories\tcodespaces");
            for (Dev d : world.devs) {
                w.printf(
                        Locale.ROOT,
                        "%s\t%d\t%s\t%.2f\t%s\t%d%n",
                        d.login,
                        d.id,
                        d.adversary,
                        d.laptopShare,
                        String.join(",", d.repos.stream().map(Repo::fullName).toList()),
                        d.codespaces.size());
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(settings.out.resolve("scenario.tsv")))) {
            w.println("at_sim_s\tstep\tdetail");
            for (Step s : plan.steps) {
                if (s instanceof PushStep p) {
                    w.printf(
                            "%d\tpush\t%s %s %s..%s forced=%s created=%s deleted=%s by %s from %s (%s) commits=%s%n",
                            p.at(),
                            p.repo().fullName(),
                            p.branch(),
                            p.before().substring(0, 10),
                            p.after().substring(0, 10),
                            p.forced(),
                            p.created(),
                            p.deleted(),
                            p.pusher().login,
                            p.env(),
                            p.behaviour(),
                            p.commits().size());
                } else if (s instanceof ReportStep rep) {
                    w.printf(
                            "%d\treport\t%s %s %s %s sha=%s commits=%d by %s [%s: %s]%n",
                            rep.at(),
                            rep.type(),
                            rep.codespace(),
                            rep.repository(),
                            rep.branch(),
                            rep.sha(),
                            rep.commits().size(),
                            rep.sender().login,
                            rep.kind(),
                            rep.tag());
                } else if (s instanceof StateStep st) {
                    w.printf(
                            "%d\tstate\t%s %s ref=%s ahead=%d behind=%d dirty=%s%n",
                            st.at(),
                            st.codespace().name,
                            st.exists() ? (st.running() ? "Available" : "Shutdown") : "absent",
                            st.ref(),
                            st.ahead(),
                            st.behind(),
                            st.dirty());
                }
            }
        }
    }

    // ==== the fake GitHub ===========================================================================

    /** A Codespace as GitHub's API shows it now; times already real. */
    record Live(
            boolean exists,
            boolean running,
            String ref,
            int ahead,
            int behind,
            boolean dirty,
            Instant createdAt,
            Instant lastUsedAt,
            Instant updatedAt) {}

    final class FakeGitHub {
        final World world;
        final Settings s;
        HttpServer server;
        final Map<String, Live> live = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
        final List<Instant> pollRounds = new CopyOnWriteArrayList<>();
        volatile Instant outageFrom = Instant.MAX, outageUntil = Instant.MAX;
        volatile long lastCompareAt;
        volatile Instant t0;

        FakeGitHub(World world, Settings s) {
            this.world = world;
            this.s = s;
        }

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", s.githubPort), 128);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        void stop() {
            if (server != null) {
                server.stop(0);
            }
        }

        String base() {
            return "http://127.0.0.1:" + port();
        }

        boolean inOutage() {
            Instant n = Instant.now();
            return !n.isBefore(outageFrom) && n.isBefore(outageUntil);
        }

        void count(String kind, int status) {
            requests.computeIfAbsent(kind + "\t" + status, k -> new AtomicLong())
                    .incrementAndGet();
        }

        void handle(HttpExchange x) throws IOException {
            try {
                x.getRequestBody().readAllBytes();
                String method = x.getRequestMethod();
                String path = x.getRequestURI().getPath();
                Map<String, String> query = query(x.getRequestURI().getRawQuery());
                String[] p = path.split("/");
                Answer a;
                String kind;
                if (method.equals("GET") && path.equals("/app")) {
                    kind = "GET /app";
                    a = json(200, app());
                } else if (method.equals("GET")
                        && p.length == 4
                        && p[1].equals("app")
                        && p[2].equals("installations")) {
                    kind = "GET /app/installations/{id}";
                    a = json(200, installation());
                } else if (method.equals("POST")
                        && p.length == 5
                        && p[1].equals("app")
                        && p[4].equals("access_tokens")) {
                    kind = "POST /app/installations/{id}/access_tokens";
                    a = json(
                            201,
                            map(
                                    "token",
                                    "ghs_" + randomAlnum(new Random(), 36),
                                    "expires_at",
                                    Instant.now()
                                            .plus(1, ChronoUnit.HOURS)
                                            .truncatedTo(ChronoUnit.SECONDS)
                                            .toString(),
                                    "permissions",
                                    map(
                                            "contents",
                                            "read",
                                            "metadata",
                                            "read",
                                            "pull_requests",
                                            "read",
                                            "organization_codespaces",
                                            "read",
                                            "codespaces",
                                            "read"),
                                    "repository_selection",
                                    "all"));
                } else if (method.equals("GET") && path.equals("/user")) {
                    kind = "GET /user";
                    a = user(x.getRequestHeaders().getFirst("Authorization"));
                } else if (method.equals("GET")
                        && p.length == 6
                        && p[1].equals("orgs")
                        && p[3].equals("members")
                        && p[5].equals("codespaces")) {
                    kind = "GET /orgs/{org}/members/{login}/codespaces";
                    a = memberCodespaces(p[2], p[4], query, path);
                } else if (method.equals("GET") && p.length == 4 && p[1].equals("orgs") && p[3].equals("codespaces")) {
                    kind = "GET /orgs/{org}/codespaces";
                    a = orgCodespaces(p[2], query, path);
                } else if (method.equals("GET") && p.length == 6 && p[1].equals("repos") && p[4].equals("compare")) {
                    kind = "GET /repos/{o}/{r}/compare/{base}...{head}";
                    lastCompareAt = System.currentTimeMillis();
                    a = compare(p[2] + "/" + p[3], p[5], query, path);
                } else {
                    kind = "other: " + method + " " + path.replaceAll("[0-9a-f]{40}", "{sha}");
                    a = json(404, map("message", "Not Found", "documentation_url", "https://docs.github.com/rest"));
                }
                count(kind, a.status);
                byte[] body = a.body.getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                x.getResponseHeaders().set("X-GitHub-Api-Version-Selected", "2022-11-28");
                x.getResponseHeaders().set("X-RateLimit-Limit", "5000");
                x.getResponseHeaders().set("X-RateLimit-Remaining", "4999");
                if (a.link != null) {
                    x.getResponseHeaders().set("Link", a.link);
                }
                x.sendResponseHeaders(a.status, body.length);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            } catch (RuntimeException e) {
                log("fake GitHub failed on %s: %s", x.getRequestURI(), e);
                count("fake GitHub failure", 500);
                x.sendResponseHeaders(500, -1);
            } finally {
                x.close();
            }
        }

        record Answer(int status, String body, String link) {}

        Answer json(int status, Object body) {
            return new Answer(status, Json.write(body), null);
        }

        Answer unavailable() {
            return json(503, map("message", "Service Unavailable"));
        }

        Map<String, Object> app() {
            return map(
                    "id",
                    APP_ID,
                    "slug",
                    "change-correlator",
                    "node_id",
                    "A_kwHOBF",
                    "name",
                    "Change Correlator",
                    "owner",
                    account(ORG, ORG_ID, "Organization"),
                    "description",
                    "",
                    "external_url",
                    "https://correlator.example",
                    "html_url",
                    "https://github.com/apps/change-correlator",
                    "created_at",
                    "2026-01-05T10:00:00Z",
                    "updated_at",
                    "2026-01-05T10:00:00Z",
                    "permissions",
                    map(
                            "contents",
                            "read",
                            "metadata",
                            "read",
                            "pull_requests",
                            "read",
                            "codespaces",
                            "read",
                            "organization_codespaces",
                            "read"),
                    "events",
                    List.of("push", "pull_request", "repository"),
                    "installations_count",
                    1);
        }

        Map<String, Object> installation() {
            return map(
                    "id",
                    INSTALLATION_ID,
                    "account",
                    account(ORG, ORG_ID, "Organization"),
                    "repository_selection",
                    "all",
                    "access_tokens_url",
                    base() + "/app/installations/" + INSTALLATION_ID + "/access_tokens",
                    "repositories_url",
                    base() + "/installation/repositories",
                    "html_url",
                    "https://github.com/organizations/" + ORG + "/settings/installations/" + INSTALLATION_ID,
                    "app_id",
                    APP_ID,
                    "app_slug",
                    "change-correlator",
                    "target_id",
                    ORG_ID,
                    "target_type",
                    "Organization",
                    "permissions",
                    map(
                            "contents",
                            "read",
                            "metadata",
                            "read",
                            "pull_requests",
                            "read",
                            "codespaces",
                            "read",
                            "organization_codespaces",
                            "read"),
                    "events",
                    List.of("push", "pull_request", "repository"),
                    "created_at",
                    "2026-01-05T10:00:00Z",
                    "updated_at",
                    "2026-01-05T10:00:00Z",
                    "single_file_name",
                    null,
                    "suspended_by",
                    null,
                    "suspended_at",
                    null);
        }

        Answer user(String authorization) {
            if (inOutage()) {
                return unavailable();
            }
            String token = authorization == null
                    ? ""
                    : authorization.replaceFirst("(?i)^(token|bearer)\\s+", "").trim();
            Dev d = world.tokens.get(token);
            if (d == null) {
                return json(
                        401,
                        map(
                                "message",
                                "Bad credentials",
                                "documentation_url",
                                "https://docs.github.com/rest",
                                "status",
                                "401"));
            }
            Map<String, Object> user = account(d.login, d.id, "User");
            user.put("name", d.name);
            return json(200, user);
        }

        Answer memberCodespaces(String org, String login, Map<String, String> query, String path) {
            if (inOutage()) {
                return unavailable();
            }
            Dev d = world.devByLogin.get(login);
            if (!org.equalsIgnoreCase(ORG) || d == null) {
                return json(404, map("message", "Not Found"));
            }
            List<Codespace> theirs =
                    d.codespaces.stream().filter(c -> live(c).exists()).toList();
            return page(theirs, query, path);
        }

        Answer orgCodespaces(String org, Map<String, String> query, String path) {
            if (!org.equalsIgnoreCase(ORG)) {
                return json(404, map("message", "Not Found"));
            }
            if (query.getOrDefault("page", "1").equals("1")) {
                pollRounds.add(Instant.now());
            }
            if (inOutage()) {
                return unavailable();
            }
            // Newest first, as GitHub lists them.
            List<Codespace> all = world.codespaces.stream()
                    .filter(c -> live(c).exists())
                    .sorted(Comparator.comparing((Codespace c) -> live(c).createdAt())
                            .reversed()
                            .thenComparing(c -> c.name))
                    .toList();
            return page(all, query, path);
        }

        Live live(Codespace c) {
            return live.getOrDefault(
                    c.name, new Live(false, false, "main", 0, 0, false, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH));
        }

        Answer page(List<Codespace> all, Map<String, String> query, String path) {
            int perPage = Math.max(1, Math.min(100, parseInt(query.get("per_page"), 30)));
            int page = Math.max(1, parseInt(query.get("page"), 1));
            int from = Math.min(all.size(), (page - 1) * perPage);
            int to = Math.min(all.size(), from + perPage);
            List<Object> items = new ArrayList<>();
            for (Codespace c : all.subList(from, to)) {
                items.add(codespace(c));
            }
            int last = Math.max(1, (all.size() + perPage - 1) / perPage);
            String link = null;
            if (page < last) {
                link = "<" + base() + path + "?per_page=" + perPage + "&page=" + (page + 1) + ">; rel=\"next\", <"
                        + base() + path + "?per_page=" + perPage + "&page=" + last + ">; rel=\"last\"";
            } else if (page > 1) {
                link = "<" + base() + path + "?per_page=" + perPage + "&page=1>; rel=\"first\", <" + base() + path
                        + "?per_page=" + perPage + "&page=" + (page - 1) + ">; rel=\"prev\"";
            }
            return new Answer(200, Json.write(map("total_count", all.size(), "codespaces", items)), link);
        }

        Map<String, Object> codespace(Codespace c) {
            Live l = live(c);
            String api = "https://api.github.com/user/codespaces/" + c.name;
            return map(
                    "id",
                    c.id,
                    "name",
                    c.name,
                    "display_name",
                    c.displayName,
                    "environment_id",
                    c.environmentId,
                    "owner",
                    account(c.owner.login, c.owner.id, "User"),
                    "billable_owner",
                    account(ORG, ORG_ID, "Organization"),
                    "repository",
                    repositoryRef(c.repo),
                    "machine",
                    map(
                            "name",
                            c.machine[0],
                            "display_name",
                            c.machine[1],
                            "operating_system",
                            "linux",
                            "storage_in_bytes",
                            34_359_738_368L,
                            "memory_in_bytes",
                            Long.parseLong(c.machine[2]) * 4_294_967_296L,
                            "cpus",
                            Integer.parseInt(c.machine[2]),
                            "prebuild_availability",
                            null),
                    "devcontainer_path",
                    ".devcontainer/devcontainer.json",
                    "prebuild",
                    false,
                    "created_at",
                    seconds(l.createdAt()),
                    "updated_at",
                    seconds(l.updatedAt()),
                    "last_used_at",
                    seconds(l.lastUsedAt()),
                    "state",
                    l.running() ? "Available" : "Shutdown",
                    "url",
                    api,
                    "git_status",
                    map(
                            "ahead",
                            l.ahead(),
                            "behind",
                            l.behind(),
                            "has_unpushed_changes",
                            l.ahead() > 0,
                            "has_uncommitted_changes",
                            l.dirty(),
                            "ref",
                            l.ref()),
                    "location",
                    "WestEurope",
                    "idle_timeout_minutes",
                    IDLE_MINUTES,
                    "retention_period_minutes",
                    43_200,
                    "retention_expires_at",
                    null,
                    "web_url",
                    "https://" + c.name + ".github.dev",
                    "machines_url",
                    api + "/machines",
                    "start_url",
                    api + "/start",
                    "stop_url",
                    api + "/stop",
                    "recent_folders",
                    List.of(),
                    "pending_operation",
                    false);
        }

        Map<String, Object> repositoryRef(Repo repo) {
            return map(
                    "id",
                    repo.id,
                    "node_id",
                    "R_kgDO" + Long.toString(repo.id, 36),
                    "name",
                    repo.name,
                    "full_name",
                    repo.fullName(),
                    "private",
                    true,
                    "owner",
                    account(ORG, ORG_ID, "Organization"),
                    "html_url",
                    "https://github.com/" + repo.fullName(),
                    "description",
                    "",
                    "fork",
                    false,
                    "url",
                    "https://api.github.com/repos/" + repo.fullName());
        }

        Answer compare(String repository, String range, Map<String, String> query, String path) {
            int dots = range.indexOf("...");
            if (dots < 0) {
                return json(404, map("message", "Not Found"));
            }
            String baseSha = range.substring(0, dots);
            String headSha = range.substring(dots + 3);
            Commit base = world.commits.get(baseSha);
            Commit head = world.commits.get(headSha);
            if (base == null
                    || head == null
                    || !base.repo.fullName().equals(repository)
                    || !head.repo.fullName().equals(repository)
                    || !base.pushed && !base.where.equals("history")
                    || !head.pushed && !head.where.equals("history")) {
                return json(404, map("message", "Not Found"));
            }
            Set<String> baseAncestors = ancestorsOf(baseSha);
            Set<String> headAncestors = ancestorsOf(headSha);
            List<String> ahead = between(world.commits, headSha, baseAncestors);
            List<String> behind = between(world.commits, baseSha, headAncestors);
            Commit mergeBase = null;
            for (String sha : baseAncestors) {
                if (headAncestors.contains(sha)) {
                    Commit c = world.commits.get(sha);
                    if (mergeBase == null || c.committedAt > mergeBase.committedAt) {
                        mergeBase = c;
                    }
                }
            }
            int perPage = Math.max(1, Math.min(250, parseInt(query.get("per_page"), 250)));
            int page = Math.max(1, parseInt(query.get("page"), 1));
            int from = Math.min(ahead.size(), (page - 1) * perPage);
            int to = Math.min(ahead.size(), from + perPage);
            List<Object> commits = new ArrayList<>();
            for (String sha : ahead.subList(from, to)) {
                commits.add(apiCommit(world.commits.get(sha)));
            }
            String status = ahead.isEmpty() && behind.isEmpty()
                    ? "identical"
                    : behind.isEmpty() ? "ahead" : ahead.isEmpty() ? "behind" : "diverged";
            String web = "https://github.com/" + repository + "/compare/" + range;
            String link = to < ahead.size()
                    ? "<" + base() + path + "?per_page=" + perPage + "&page=" + (page + 1) + ">; rel=\"next\""
                    : null;
            return new Answer(
                    200,
                    Json.write(map(
                            "url",
                            "https://api.github.com/repos/" + repository + "/compare/" + range,
                            "html_url",
                            web,
                            "permalink_url",
                            web,
                            "diff_url",
                            web + ".diff",
                            "patch_url",
                            web + ".patch",
                            "base_commit",
                            apiCommit(base),
                            "merge_base_commit",
                            mergeBase == null ? null : apiCommit(mergeBase),
                            "status",
                            status,
                            "ahead_by",
                            ahead.size(),
                            "behind_by",
                            behind.size(),
                            "total_commits",
                            ahead.size(),
                            "commits",
                            commits,
                            "files",
                            List.of())),
                    link);
        }

        Set<String> ancestorsOf(String sha) {
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(sha));
            while (!todo.isEmpty()) {
                String s = todo.poll();
                if (seen.add(s)) {
                    Commit c = world.commits.get(s);
                    if (c != null) {
                        todo.addAll(c.parents);
                    }
                }
            }
            return seen;
        }

        Map<String, Object> apiCommit(Commit c) {
            String api = "https://api.github.com/repos/" + c.repo.fullName();
            Instant authored = time(c.authoredAt);
            Instant committed = time(c.committedAt);
            boolean web = c.where.equals("web");
            Map<String, Object> committer = web
                    ? map("name", "GitHub", "email", "noreply@github.com", "date", seconds(committed))
                    : person(c.maker, committed);
            List<Object> parents = new ArrayList<>();
            for (String p : c.parents) {
                parents.add(map(
                        "sha",
                        p,
                        "url",
                        api + "/commits/" + p,
                        "html_url",
                        "https://github.com/" + c.repo.fullName() + "/commit/" + p));
            }
            return map(
                    "sha",
                    c.sha,
                    "node_id",
                    "C_kwDO" + c.sha.substring(0, 16),
                    "commit",
                    map(
                            "author",
                            person(c.author, authored),
                            "committer",
                            committer,
                            "message",
                            c.message,
                            "tree",
                            map("sha", c.treeSha, "url", api + "/git/trees/" + c.treeSha),
                            "url",
                            api + "/git/commits/" + c.sha,
                            "comment_count",
                            0,
                            "verification",
                            map(
                                    "verified",
                                    web,
                                    "reason",
                                    web ? "valid" : "unsigned",
                                    "signature",
                                    null,
                                    "payload",
                                    null,
                                    "verified_at",
                                    null)),
                    "url",
                    api + "/commits/" + c.sha,
                    "html_url",
                    "https://github.com/" + c.repo.fullName() + "/commit/" + c.sha,
                    "comments_url",
                    api + "/commits/" + c.sha + "/comments",
                    "author",
                    account(c.author.login, c.author.id, "User"),
                    "committer",
                    web ? account("web-flow", 19_864_447, "User") : account(c.maker.login, c.maker.id, "User"),
                    "parents",
                    parents);
        }

        Map<String, Object> person(Dev d, Instant at) {
            return map("name", d.name, "email", d.email, "date", seconds(at));
        }

        Instant time(long sim) {
            return realTime(t0 == null ? Instant.now() : t0, sim);
        }
    }

    /** A simulated time as a wall-clock time: compressed from the run's start, uncompressed before it. */
    Instant realTime(Instant t0, long sim) {
        if (sim < 0) {
            return t0.plusSeconds(sim);
        }
        return t0.plusMillis(Math.round(sim * settings.realMillisPerSimSecond()));
    }

    static String seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Map<String, Object> account(String login, long id, String type) {
        String api = "https://api.github.com/users/" + login;
        return map(
                "login",
                login,
                "id",
                id,
                "node_id",
                "MDQ6VXNlcj" + Long.toString(id, 36),
                "avatar_url",
                "https://avatars.githubusercontent.com/u/" + id + "?v=4",
                "gravatar_id",
                "",
                "url",
                api,
                "html_url",
                "https://github.com/" + login,
                "followers_url",
                api + "/followers",
                "following_url",
                api + "/following{/other_user}",
                "gists_url",
                api + "/gists{/gist_id}",
                "starred_url",
                api + "/starred{/owner}{/repo}",
                "subscriptions_url",
                api + "/subscriptions",
                "organizations_url",
                api + "/orgs",
                "repos_url",
                api + "/repos",
                "events_url",
                api + "/events{/privacy}",
                "received_events_url",
                api + "/received_events",
                "type",
                type,
                "user_view_type",
                "public",
                "site_admin",
                false);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    q.put(
                            java.net.URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    static int parseInt(String s, int otherwise) {
        try {
            return s == null ? otherwise : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    // ==== the App, over HTTP ======================================================================

    static final class App {
        final Settings s;
        final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        final Mac mac;

        App(Settings s) throws Exception {
            this.s = s;
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(s.secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }

        void awaitReady(Duration limit) throws InterruptedException {
            long deadline = System.currentTimeMillis() + limit.toMillis();
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (get("/q/health/ready", null).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            throw new RunBroken("the App did not become ready at " + s.appUrl + " within " + limit.toSeconds() + " s");
        }

        HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.appUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .GET();
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> webhook(String event, String body) throws IOException, InterruptedException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String signature;
            synchronized (mac) {
                signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(bytes));
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(s.appUrl + "/webhooks/github"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "GitHub-Hookshot/attribution-sim")
                    .header("X-GitHub-Event", event)
                    .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                    .header("X-GitHub-Hook-ID", "1")
                    .header("X-GitHub-Hook-Installation-Target-Type", "integration")
                    .header("X-GitHub-Hook-Installation-Target-ID", Long.toString(APP_ID))
                    .header("X-Hub-Signature-256", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> report(String token, String body) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(s.appUrl + "/api/v1/codespaces/events"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    // ==== replaying the plan in real time ==========================================================

    /** One report as it was sent, and what the App answered. */
    static final class Sent {
        final ReportStep step;
        int status;
        String verification;
        boolean duringOutage;
        int attempts;

        Sent(ReportStep step) {
            this.step = step;
        }
    }

    record Delivered(PushStep step, int status, String outcome, long millis) {}

    final class Executor {
        final World world;
        final Plan plan;
        final FakeGitHub github;
        final App app;
        final Settings s;
        final List<Sent> reports = new ArrayList<>();
        final List<Delivered> deliveries = new ArrayList<>();
        final Map<String, Deque<Sent>> queued = new HashMap<>(); // the Feature's local queue, per Codespace
        // The Feature's not-before time, per Codespace: the Retry-After of the App's last 503 or 429.
        final Map<String, Instant> notBefore = new HashMap<>();
        final List<Long> lagMillis = new ArrayList<>();
        final List<String> replay = new ArrayList<>(); // per step: when, what, how late, how long
        Instant t0, endedAt;
        int installationStatus;

        Executor(World world, Plan plan, FakeGitHub github, App app, Settings s) {
            this.world = world;
            this.plan = plan;
            this.github = github;
            this.app = app;
            this.s = s;
        }

        void run() throws Exception {
            // A moment of slack: the installation delivery goes first, and step 0 should not start late.
            t0 = Instant.now().plusMillis(1_500);
            github.t0 = t0;
            // The state GitHub shows before the first poll; the App is installed next.
            for (Step step : plan.steps) {
                if (step.at() == 0 && step instanceof StateStep st) {
                    apply(st);
                }
            }
            HttpResponse<String> installed = app.webhook("installation", installationBody());
            installationStatus = installed.statusCode();
            if (installationStatus != 200) {
                throw new RunBroken(
                        "the installation delivery was answered " + installationStatus + ": " + installed.body());
            }
            if (s.outageSeconds > 0) {
                github.outageFrom = t0.plusSeconds(s.durationSeconds / 2);
                github.outageUntil = github.outageFrom.plusSeconds(s.outageSeconds);
            }
            long t0ms = t0.toEpochMilli();
            int done = 0;
            long nextProgress = System.currentTimeMillis() + 30_000;
            for (Step step : plan.steps) {
                long due = t0ms + Math.round(step.at() * s.realMillisPerSimSecond());
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                } else if (!(step instanceof StateStep)) {
                    lagMillis.add(-wait);
                }
                long began = System.currentTimeMillis();
                if (step instanceof StateStep st) {
                    if (step.at() > 0) {
                        apply(st);
                    }
                } else if (step instanceof PushStep p) {
                    deliver(p);
                } else if (step instanceof ReportStep r) {
                    send(r);
                }
                if (!(step instanceof StateStep)) {
                    replay.add(step.at() + "\t" + (began - t0ms) + "\t"
                            + step.getClass().getSimpleName() + "\t" + Math.max(0, -wait) + "\t"
                            + (System.currentTimeMillis() - began));
                }
                done++;
                if (System.currentTimeMillis() > nextProgress) {
                    log(
                            "%d of %d steps, simulated minute %d of %d",
                            done, plan.steps.size(), step.at() / 60, s.simulatedSeconds() / 60);
                    nextProgress += 30_000;
                }
            }
            // Reports still waiting in a Feature's queue go out with the next report after its
            // not-before time; at the end, as a developer's next session would send them (once that
            // time has passed, and again after each Retry-After, a few times).
            for (Map.Entry<String, Deque<Sent>> e : queued.entrySet()) {
                Deque<Sent> q = e.getValue();
                for (int round = 0; round < 5 && !q.isEmpty(); round++) {
                    waitOut(e.getKey());
                    while (!q.isEmpty() && post(q.peek())) {
                        q.poll();
                    }
                }
            }
            endedAt = Instant.now();
        }

        void apply(StateStep st) {
            github.live.put(
                    st.codespace().name,
                    new Live(
                            st.exists(),
                            st.running(),
                            st.ref(),
                            st.ahead(),
                            st.behind(),
                            st.dirty(),
                            realTime(t0, st.createdAt()),
                            realTime(t0, st.lastUsedAt()),
                            realTime(t0, st.updatedAt())));
        }

        void deliver(PushStep p) throws Exception {
            String body = pushBody(p);
            long start = System.nanoTime();
            HttpResponse<String> answer = app.webhook("push", body);
            for (int retry = 0; answer.statusCode() == 503 && retry < 3; retry++) {
                // An operator redelivers a 503 from the App's settings.
                Thread.sleep(2_000);
                answer = app.webhook("push", body);
            }
            Object outcome = Json.field(answer.body(), "outcome");
            deliveries.add(new Delivered(
                    p,
                    answer.statusCode(),
                    outcome == null ? "" : outcome.toString(),
                    (System.nanoTime() - start) / 1_000_000));
        }

        void send(ReportStep r) throws Exception {
            Sent sent = new Sent(r);
            reports.add(sent);
            if (!r.kind().equals("honest")) {
                post(sent);
                return;
            }
            // The Feature sends what waits in its queue first, and queues what the App did not take;
            // before the App's Retry-After has passed it sends nothing and queues the new report.
            Deque<Sent> q = queued.computeIfAbsent(r.codespace(), k -> new ArrayDeque<>());
            Instant until = notBefore.get(r.codespace());
            if (until != null && Instant.now().isBefore(until)) {
                q.add(sent);
                return;
            }
            while (!q.isEmpty()) {
                if (!post(q.peek())) {
                    q.add(sent);
                    return;
                }
                q.poll();
            }
            if (!post(sent)) {
                q.add(sent);
            }
        }

        /**
         * True when the App took the report or refused it for good (the Feature's rule). A 503 or
         * 429 (GitHub cannot confirm the token now) sets the Codespace's not-before time from
         * Retry-After (60 s without one), as the Feature does.
         */
        boolean post(Sent sent) throws InterruptedException {
            ReportStep r = sent.step;
            sent.attempts++;
            sent.duringOutage = github.inOutage();
            try {
                HttpResponse<String> answer = app.report(r.token(), reportBody(r));
                sent.status = answer.statusCode();
                Object v = Json.field(answer.body(), "verification");
                sent.verification = v == null ? (sent.status == 200 ? "duplicate" : "") : v.toString();
                if (sent.status == 503 || sent.status == 429) {
                    long seconds = answer.headers()
                            .firstValue("retry-after")
                            .map(String::trim)
                            .filter(x -> x.matches("[0-9]{1,4}"))
                            .map(Long::parseLong)
                            .orElse(60L);
                    notBefore.put(r.codespace(), Instant.now().plusSeconds(Math.min(seconds, 3600)));
                }
            } catch (IOException e) {
                sent.status = 0;
                sent.verification = e.getClass().getSimpleName();
            }
            return sent.status == 200
                    || sent.status == 202
                    || sent.status == 400
                    || sent.status == 401
                    || sent.status == 403
                    || sent.status == 413;
        }

        /** Sleeps until the Codespace's not-before time, if it has one still ahead. */
        void waitOut(String codespace) throws InterruptedException {
            Instant until = notBefore.get(codespace);
            long millis =
                    until == null ? 0 : Duration.between(Instant.now(), until).toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        }

        String reportBody(ReportStep r) {
            Map<String, Object> body = map(
                    "eventId",
                    r.eventId(),
                    "type",
                    r.type(),
                    "codespace",
                    r.codespace(),
                    "repository",
                    r.repository(),
                    "branch",
                    r.branch(),
                    "sha",
                    r.sha(),
                    "commits",
                    r.commits(),
                    "occurredAt",
                    seconds(realTime(t0, r.at())));
            return Json.write(body);
        }

        String installationBody() {
            List<Object> repos = new ArrayList<>();
            for (Repo repo : world.repos) {
                repos.add(map(
                        "id",
                        repo.id,
                        "node_id",
                        "R_kgDO" + Long.toString(repo.id, 36),
                        "name",
                        repo.name,
                        "full_name",
                        repo.fullName(),
                        "private",
                        true));
            }
            Dev installer = world.devs.get(0);
            Map<String, Object> installation = github.installation();
            installation.put("repository_selection", "selected");
            installation.put("created_at", seconds(t0));
            installation.put("updated_at", seconds(t0));
            return Json.write(map(
                    "action",
                    "created",
                    "installation",
                    installation,
                    "repositories",
                    repos,
                    "requester",
                    null,
                    "sender",
                    account(installer.login, installer.id, "User")));
        }

        String pushBody(PushStep p) {
            Repo repo = p.repo();
            Instant pushedAt = realTime(t0, p.at());
            List<Object> commits = new ArrayList<>();
            Map<String, Object> head = null;
            for (String sha : p.commits()) {
                Map<String, Object> c =
                        payloadCommit(world.commits.get(sha), p.distinct().contains(sha));
                commits.add(c);
            }
            if (!p.deleted()) {
                head = payloadCommit(world.commits.get(p.after()), p.distinct().contains(p.after()));
            }
            String html = "https://github.com/" + repo.fullName();
            String api = "https://api.github.com/repos/" + repo.fullName();
            Map<String, Object> owner = account(ORG, ORG_ID, "Organization");
            Map<String, Object> ownerWithName = new LinkedHashMap<>();
            ownerWithName.put("name", ORG);
            ownerWithName.put("email", null);
            ownerWithName.putAll(owner);
            Map<String, Object> repository = map(
                    "id",
                    repo.id,
                    "node_id",
                    "R_kgDO" + Long.toString(repo.id, 36),
                    "name",
                    repo.name,
                    "full_name",
                    repo.fullName(),
                    "private",
                    true,
                    "owner",
                    ownerWithName,
                    "html_url",
                    html,
                    "description",
                    "The " + repo.name + " service",
                    "fork",
                    false,
                    "url",
                    api,
                    "compare_url",
                    api + "/compare/{base}...{head}",
                    "commits_url",
                    api + "/commits{/sha}",
                    "created_at",
                    1_700_000_000L + repo.index * 86_400L,
                    "updated_at",
                    seconds(pushedAt.minusSeconds(3_600)),
                    "pushed_at",
                    pushedAt.getEpochSecond(),
                    "git_url",
                    "git://github.com/" + repo.fullName() + ".git",
                    "ssh_url",
                    "git@github.com:" + repo.fullName() + ".git",
                    "clone_url",
                    html + ".git",
                    "homepage",
                    null,
                    "size",
                    4_000 + repo.index * 313,
                    "language",
                    "Java",
                    "archived",
                    false,
                    "disabled",
                    false,
                    "visibility",
                    "private",
                    "default_branch",
                    "main",
                    "master_branch",
                    "main",
                    "organization",
                    ORG,
                    "custom_properties",
                    map());
            String before = p.before();
            String compare = p.created()
                    ? html + "/compare/" + p.branch()
                    : html + "/compare/" + before.substring(0, 12) + "..."
                            + p.after().substring(0, 12);
            return Json.write(map(
                    "ref",
                    "refs/heads/" + p.branch(),
                    "before",
                    before,
                    "after",
                    p.after(),
                    "repository",
                    repository,
                    "pusher",
                    map("name", p.pusher().login, "email", p.pusher().email),
                    "organization",
                    map(
                            "login",
                            ORG,
                            "id",
                            ORG_ID,
                            "node_id",
                            "MDEyOk9yZ2FuaXphdGlvbj" + ORG_ID,
                            "url",
                            "https://api.github.com/orgs/" + ORG,
                            "description",
                            "Orbit Works engineering"),
                    "sender",
                    account(p.pusher().login, p.pusher().id, "User"),
                    "installation",
                    map("id", INSTALLATION_ID, "node_id", "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u" + INSTALLATION_ID),
                    "created",
                    p.created(),
                    "deleted",
                    p.deleted(),
                    "forced",
                    p.forced(),
                    "base_ref",
                    null,
                    "compare",
                    compare,
                    "commits",
                    commits,
                    "head_commit",
                    head));
        }

        Map<String, Object> payloadCommit(Commit c, boolean distinct) {
            Instant authored = realTime(t0, c.authoredAt);
            Instant committed = realTime(t0, c.committedAt);
            String authorDate = ISO_SECONDS.format(OffsetDateTime.ofInstant(authored, c.author.zone));
            Map<String, Object> committer = c.where.equals("web")
                    ? map(
                            "name",
                            "GitHub",
                            "email",
                            "noreply@github.com",
                            "date",
                            ISO_SECONDS.format(OffsetDateTime.ofInstant(committed, ZoneOffset.UTC)),
                            "username",
                            "web-flow")
                    : map(
                            "name",
                            c.maker.name,
                            "email",
                            c.maker.email,
                            "date",
                            ISO_SECONDS.format(OffsetDateTime.ofInstant(committed, c.maker.zone)),
                            "username",
                            c.maker.login);
            return map(
                    "id",
                    c.sha,
                    "tree_id",
                    c.treeSha,
                    "distinct",
                    distinct,
                    "message",
                    c.message,
                    "timestamp",
                    authorDate,
                    "url",
                    "https://github.com/" + c.repo.fullName() + "/commit/" + c.sha,
                    "author",
                    map("name", c.author.name, "email", c.author.email, "date", authorDate, "username", c.author.login),
                    "committer",
                    committer,
                    "added",
                    List.of(),
                    "removed",
                    List.of(),
                    "modified",
                    List.of("src/main/java/" + c.repo.name.replace('-', '/') + "/Service.java"));
        }

        /** At least two polls after the last step, and the App's queue drained. */
        void settle() throws Exception {
            int rounds = github.pollRounds.size();
            long deadline = System.currentTimeMillis() + (3L * s.pollIntervalSeconds + 90) * 1000;
            log("scenario done; waiting for two more polls of the organization's Codespaces");
            while (github.pollRounds.size() < rounds + 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            pollsAfterEnd = github.pollRounds.size() - rounds;
            Thread.sleep(3_000); // the second poll's pages, and its writes
            // The compare work of force pushes (the outbox polls every 2 s): six quiet seconds.
            while (System.currentTimeMillis() - github.lastCompareAt < 6_000
                    && System.currentTimeMillis() < deadline + 30_000) {
                Thread.sleep(500);
            }
        }

        int pollsAfterEnd;
    }

    // ==== evaluation ==============================================================================

    /** One Codespace link the App gave for a commit, judged against the ground truth. */
    record Link(
            Commit commit,
            String codespace,
            String owner,
            String confidence,
            String source,
            String verdict,
            String cause) {
        String level() {
            return confidence + " (" + source + ")";
        }
    }

    final class Evaluation {
        final World world;
        final Plan plan;
        final Executor executor;
        final FakeGitHub github;
        final App app;
        final Settings s;
        final List<Link> links = new ArrayList<>();
        final Map<String, List<Link>> linksBySha = new HashMap<>();
        final List<Commit> measured = new ArrayList<>();
        final List<Commit> unknownToApp = new ArrayList<>();
        final List<String> oddities = new ArrayList<>();
        int authorMismatches;
        final Map<Integer, Integer> codespaceAnswers = new TreeMap<>();
        final Map<String, Integer> knownCodespaces = new TreeMap<>();
        final Map<String, Integer> logLevels = new TreeMap<>();
        final Map<String, Integer> logMessages = new LinkedHashMap<>();
        int expectedWarnings;
        final List<String[]> requirements = new ArrayList<>();
        boolean allMet = true;

        Evaluation(World world, Plan plan, Executor executor, FakeGitHub github, App app, Settings s) {
            this.world = world;
            this.plan = plan;
            this.executor = executor;
            this.github = github;
            this.app = app;
            this.s = s;
        }

        boolean allMet() {
            return allMet;
        }

        void evaluate() throws Exception {
            log(
                    "asking the App about %d pushed commits",
                    world.commits.values().stream()
                            .filter(c -> c.pushed && !c.where.equals("history"))
                            .count());
            try (PrintWriter answers = new PrintWriter(Files.newBufferedWriter(s.out.resolve("answers.jsonl")))) {
                for (Commit c : world.commits.values()) {
                    if (!c.pushed || c.where.equals("history")) {
                        continue;
                    }
                    measured.add(c);
                    HttpResponse<String> answer = app.get(
                            "/api/v1/commits/" + c.sha + "?repository="
                                    + URLEncoder.encode(c.repo.fullName(), StandardCharsets.UTF_8),
                            s.apiToken);
                    answers.println(answer.statusCode() + "\t" + c.sha + "\t"
                            + answer.body().replace('\n', ' '));
                    if (answer.statusCode() != 200) {
                        unknownToApp.add(c);
                        continue;
                    }
                    Object parsed = Json.parse(answer.body());
                    Map<?, ?> body = (Map<?, ?>) parsed;
                    Object author = body.get("author") instanceof Map<?, ?> a ? a.get("login") : null;
                    if (author == null || !author.toString().equalsIgnoreCase(c.author.login)) {
                        authorMismatches++;
                    }
                    Object list = body.get("codespaces");
                    if (list instanceof List<?> items) {
                        for (Object item : items) {
                            Map<?, ?> l = (Map<?, ?>) item;
                            judge(
                                    c,
                                    str(l.get("name")),
                                    str(l.get("owner")),
                                    str(l.get("confidence")),
                                    str(l.get("source")));
                        }
                    }
                }
            }
            for (Codespace cs : world.codespaces) {
                HttpResponse<String> answer = app.get("/api/v1/codespaces/" + cs.name, s.apiToken);
                codespaceAnswers.merge(answer.statusCode(), 1, Integer::sum);
                if (answer.statusCode() == 200) {
                    knownCodespaces.merge(cs.repo.population(), 1, Integer::sum);
                }
            }
            readAppLog();
            writeRaw();
        }

        String str(Object o) {
            return o == null ? "" : o.toString();
        }

        void judge(Commit c, String name, String owner, String confidence, String source) {
            Codespace linked = world.codespaceByName.get(name);
            String verdict;
            if (c.madeIn != null && c.madeIn.name.equals(name)) {
                verdict = "correct";
            } else if (linked != null && linked.owner == c.maker) {
                verdict = "wrong Codespace, right developer";
            } else {
                verdict = "wrong developer";
            }
            if (linked != null && !linked.owner.login.equalsIgnoreCase(owner)) {
                oddities.add("link of " + c.sha + " to " + name + " names owner " + owner + ", GitHub says "
                        + linked.owner.login);
            }
            Link link = new Link(
                    c,
                    name,
                    owner,
                    confidence,
                    source,
                    verdict,
                    verdict.equals("correct") ? "" : cause(c, linked, name, source));
            links.add(link);
            linksBySha.computeIfAbsent(c.sha, k -> new ArrayList<>()).add(link);
        }

        /** Why a wrong link may have come about: what named the commit from that Codespace. */
        String cause(Commit c, Codespace linked, String name, String source) {
            String made = "commit made " + (c.madeIn != null ? "in another Codespace" : "on " + where(c)) + " by "
                    + (c.maker == (linked == null ? null : linked.owner) ? "the owner" : "someone else");
            if (source.equals("reporter")) {
                Set<String> tags = new TreeSet<>();
                for (Sent sent : executor.reports) {
                    ReportStep r = sent.step;
                    if (r.codespace().equals(name)
                            && (c.sha.equals(r.sha()) || r.commits().contains(c.sha))
                            && (sent.status == 202 || sent.status == 200)) {
                        tags.add((r.kind().equals("honest") ? "" : r.kind() + ": ") + r.tag());
                    }
                }
                return made + "; named by " + (tags.isEmpty() ? "no report this run sent" : String.join(" + ", tags))
                        + pushedBy(c, linked);
            }
            if (source.equals("trailer")) {
                return made + "; " + (c.forged ? "forged trailer" : "its trailer names the Codespace")
                        + pushedBy(c, linked);
            }
            return made + pushedBy(c, linked);
        }

        String where(Commit c) {
            return switch (c.where) {
                case "web" -> "github.com (merge)";
                case "laptop" -> "a laptop";
                default -> c.where;
            };
        }

        /** The pushes through which the linked Codespace's owner counts as a pusher of the commit. */
        String pushedBy(Commit c, Codespace linked) {
            if (linked == null) {
                return "";
            }
            Set<String> ways = new TreeSet<>();
            for (Delivered d : executor.deliveries) {
                PushStep p = d.step();
                if (p.pusher() == linked.owner
                        && p.repo() == c.repo
                        && (p.commits().contains(c.sha) || p.after().equals(c.sha))) {
                    ways.add(p.behaviour() + " (" + p.env() + ")");
                }
            }
            String authored = c.author == linked.owner ? "; the owner authored it" : "";
            return authored + (ways.isEmpty() ? "" : "; the owner pushed it: " + String.join(", ", ways));
        }

        void readAppLog() throws IOException {
            if (s.appLog == null || !Files.exists(s.appLog)) {
                return;
            }
            Pattern line = Pattern.compile("^\\S+ (WARN|ERROR)\\s+\\[([^\\]]*)\\] \\([^)]*\\)\\s*(.*)$");
            for (String l : Files.readAllLines(s.appLog)) {
                Matcher m = line.matcher(l);
                if (!m.matches()) {
                    continue;
                }
                logLevels.merge(m.group(1), 1, Integer::sum);
                String message = m.group(3);
                if (message.startsWith("Refused a report for Codespace")) {
                    expectedWarnings++;
                }
                String shape = m.group(1) + " [" + m.group(2) + "] "
                        + message.replaceAll("[0-9a-f]{40}", "{sha}")
                                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{uuid}")
                                .replaceAll("\\b[a-z0-9]+(-[a-z0-9]+)*-[a-z]+-[a-z]+-[a-z0-9]{10}\\b", "{codespace}")
                                .replaceAll("\\d+", "N");
                logMessages.merge(shape.length() > 220 ? shape.substring(0, 220) + "…" : shape, 1, Integer::sum);
            }
        }

        void writeRaw() throws IOException {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(s.out.resolve("links.tsv")))) {
                w.println(
                        "sha\trepository\tpopulation\twhere\ttruth_codespace\tmaker\tauthor\thow\tlinked_codespace\towner\tconfidence\tsource\tverdict\tcause");
                for (Link l : links) {
                    Commit c = l.commit();
                    w.printf(
                            "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%n",
                            c.sha,
                            c.repo.fullName(),
                            c.repo.population(),
                            c.where,
                            c.madeIn == null ? "-" : c.madeIn.name,
                            c.maker.login,
                            c.author.login,
                            c.how,
                            l.codespace(),
                            l.owner(),
                            l.confidence(),
                            l.source(),
                            l.verdict(),
                            l.cause());
                }
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(s.out.resolve("reports.tsv")))) {
                w.println(
                        "at_sim_s\tkind\ttype\tcodespace\trepository\tsha\tcommits\tsender\tstatus\tverification\tduring_outage\tattempts\ttag");
                for (Sent sent : executor.reports) {
                    ReportStep r = sent.step;
                    w.printf(
                            "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%d\t%s%n",
                            r.at(),
                            r.kind(),
                            r.type(),
                            r.codespace(),
                            r.repository(),
                            r.sha(),
                            r.commits().size(),
                            r.sender().login,
                            sent.status,
                            sent.verification,
                            sent.duringOutage,
                            sent.attempts,
                            r.tag());
                }
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(s.out.resolve("deliveries.tsv")))) {
                w.println(
                        "at_sim_s\trepository\tbranch\tbefore\tafter\tforced\tcreated\tdeleted\tcommits\tpusher\tenv\tbehaviour\tstatus\toutcome\tms");
                for (Delivered d : executor.deliveries) {
                    PushStep p = d.step();
                    w.printf(
                            "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\t%d%n",
                            p.at(),
                            p.repo().fullName(),
                            p.branch(),
                            p.before(),
                            p.after(),
                            p.forced(),
                            p.created(),
                            p.deleted(),
                            p.commits().size(),
                            p.pusher().login,
                            p.env(),
                            p.behaviour(),
                            d.status(),
                            d.outcome(),
                            d.millis());
                }
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(s.out.resolve("replay.tsv")))) {
                w.println("at_sim_s\tsent_at_real_ms\tstep\tlate_ms\ttook_ms");
                executor.replay.forEach(w::println);
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(s.out.resolve("github-requests.tsv")))) {
                w.println("request\tstatus\tcount");
                new TreeMap<>(github.requests).forEach((k, v) -> w.println(k + "\t" + v.get()));
            }
        }

        // ---- RESULTS.md --------------------------------------------------------------------------

        static final Map<String, String> HOW = Map.of(
                "commit",
                "git commit",
                "amend",
                "git commit --amend",
                "rebase",
                "rewritten by a rebase (pull --rebase, rebase onto main)",
                "merge",
                "merge commit",
                "am",
                "git am (a colleague's patch)");

        static final List<String> LEVELS = List.of(
                "verified (reporter)",
                "corroborated (reporter)",
                "corroborated (trailer)",
                "corroborated (poll)",
                "inferred (inference)");

        String results(Timings t) {
            StringBuilder b = new StringBuilder();
            Map<String, List<Commit>> byPopulation = new LinkedHashMap<>();
            byPopulation.put("reporter", new ArrayList<>());
            byPopulation.put("polling", new ArrayList<>());
            for (Commit c : measured) {
                byPopulation.get(c.repo.population()).add(c);
            }
            long wrongDeveloper = links.stream()
                    .filter(l -> l.verdict().equals("wrong developer"))
                    .count();
            List<Commit> reporterCodespaceCommits = byPopulation.get("reporter").stream()
                    .filter(c -> c.madeIn != null)
                    .toList();
            long reporterLinked = reporterCodespaceCommits.stream()
                    .filter(this::correctlyLinked)
                    .count();
            double reporterRecall = ratio(reporterLinked, reporterCodespaceCommits.size());
            List<Commit> pollingCodespaceCommits = byPopulation.get("polling").stream()
                    .filter(c -> c.madeIn != null)
                    .toList();
            long pollingLinked = pollingCodespaceCommits.stream()
                    .filter(this::correctlyLinked)
                    .count();

            // Adversaries.
            Adversaries adv = adversaries();

            requirement(
                    "Zero wrong-developer links",
                    wrongDeveloper + " wrong-developer links of " + links.size() + " links",
                    wrongDeveloper == 0);
            requirement(
                    "≥ 99% of Codespace commits linked, with the reporter",
                    pct(reporterRecall) + " (" + reporterLinked + " of " + reporterCodespaceCommits.size() + ")",
                    !reporterCodespaceCommits.isEmpty() && reporterRecall >= 0.99);
            requirement(
                    "Adversaries' reports about others' Codespaces (own valid token, or a made-up one): "
                            + "refused (403, 401; 503 or 429 while GitHub cannot be asked) and nothing linked",
                    adv.refused + " of " + (adv.outsideOutage + adv.inOutage) + " refused"
                            + (adv.inOutage > 0 ? " (" + adv.inOutage + " of them sent during the GitHub outage)" : "")
                            + "; " + (adv.claimsLinked + adv.invalidLinked)
                            + " linked their sha to the Codespace they named",
                    adv.refused == adv.outsideOutage + adv.inOutage && adv.claimsLinked + adv.invalidLinked == 0);
            requirement(
                    "Forged `Codespace:` trailers link nothing",
                    adv.forgedLinked + " of " + adv.forged
                            + " pushed commits with a forged trailer linked to the Codespace it names",
                    adv.forgedLinked == 0);
            requirement(
                    "Every pushed commit known to the App",
                    (measured.size() - unknownToApp.size()) + " of " + measured.size() + " answered 200",
                    unknownToApp.isEmpty());

            b.append("# Attribution simulation results\n\n");
            b.append("Written by `bench/attribution/run.sh` on ")
                    .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                            .format(OffsetDateTime.now(ZoneOffset.UTC)))
                    .append(" against the App at commit `")
                    .append(s.appCommit)
                    .append("`, seed ")
                    .append(s.seed)
                    .append(". The simulation took ")
                    .append(minSec(t.simulation()))
                    .append(" (scenario ")
                    .append(minSec(t.scenario()))
                    .append(", settling ")
                    .append(minSec(t.settle()))
                    .append(", evaluation ")
                    .append(minSec(t.evaluation()))
                    .append(")")
                    .append(t.build() >= 0 ? "; the App's build before it took " + minSec(t.build()) : "")
                    .append(".\n\n");
            b.append("Rerun:\n\n```bash\n").append(s.rerun).append("\n```\n\n");

            b.append("## Requirements\n\n| requirement | measured | |\n| --- | --- | --- |\n");
            for (String[] r : requirements) {
                b.append("| ")
                        .append(r[0])
                        .append(" | ")
                        .append(r[1])
                        .append(" | ")
                        .append(r[2])
                        .append(" |\n");
            }
            b.append("\nWith polling alone (no reporter): ")
                    .append(pct(ratio(pollingLinked, pollingCodespaceCommits.size())))
                    .append(" of Codespace commits linked to the right Codespace (")
                    .append(pollingLinked)
                    .append(" of ")
                    .append(pollingCodespaceCommits.size())
                    .append("); no target.\n\n");

            b.append("## How to read this\n\n");
            b.append(
                            "Every commit the simulation pushed has a ground truth (written before the run to `truth-commits.tsv`): ")
                    .append(
                            "the Codespace it was made in, or none (a laptop, or a merge on github.com), and the developer who made it ")
                    .append(
                            "(who ran git; its author can differ: `git am`, rebases). Each link in the App's answer to ")
                    .append(
                            "`GET /api/v1/commits/{sha}` is **correct** (the ground-truth Codespace), **wrong Codespace, right developer** ")
                    .append(
                            "(the linked Codespace's owner made the commit, elsewhere), or **wrong developer** (anyone else's Codespace). ")
                    .append(
                            "Precision = correct ÷ links. Recall = Codespace commits whose correct link has that level ÷ Codespace commits ")
                    .append(
                            "(the App lists each Codespace once, at its best level, so the levels' recalls add up to the total). ")
                    .append(
                            "A population is the set of repositories with the reporter (the Dev Container Feature in their devcontainer) ")
                    .append(
                            "or without it (polling only). Links on laptop and github.com commits count in the population of their repository.\n\n");

            for (String population : List.of("reporter", "polling")) {
                List<Commit> commits = byPopulation.get(population);
                long repos = world.repos.stream()
                        .filter(r -> r.population().equals(population))
                        .count();
                long codespaces = world.codespaces.stream()
                        .filter(c -> c.repo.population().equals(population))
                        .count();
                long csCommits = commits.stream().filter(c -> c.madeIn != null).count();
                b.append("## ")
                        .append(population.equals("reporter") ? "With the reporter" : "Polling only (no reporter)")
                        .append("\n\n")
                        .append(repos)
                        .append(" repositories, ")
                        .append(codespaces)
                        .append(" Codespaces; ")
                        .append(commits.size())
                        .append(" pushed commits: ")
                        .append(csCommits)
                        .append(" made in Codespaces, ")
                        .append(commits.stream()
                                .filter(c -> c.where.equals("laptop"))
                                .count())
                        .append(" on laptops, ")
                        .append(commits.stream()
                                .filter(c -> c.where.equals("web"))
                                .count())
                        .append(" merges on github.com.\n\n");
                b.append(
                        "| level | links | correct | wrong Codespace, right developer | wrong developer | precision | recall |\n");
                b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
                List<String> levels = new ArrayList<>(LEVELS);
                for (Link l : links) {
                    if (l.commit().repo.population().equals(population) && !levels.contains(l.level())) {
                        levels.add(l.level());
                    }
                }
                for (String level : levels) {
                    row(b, level, commits, l -> l.level().equals(level), csCommits);
                }
                row(b, "**all levels**", commits, l -> true, csCommits);
                b.append('\n');
            }

            b.append("Codespace commits by how they were made (recall over all levels):\n\n");
            b.append(
                    "| population | how | Codespace commits | linked to their Codespace | recall |\n| --- | --- | ---: | ---: | ---: |\n");
            Map<String, long[]> byHow = new TreeMap<>();
            for (Commit c : measured) {
                if (c.madeIn != null) {
                    long[] n = byHow.computeIfAbsent(
                            c.repo.population() + "\t" + HOW.getOrDefault(c.how, c.how), k -> new long[2]);
                    n[0]++;
                    if (correctlyLinked(c)) {
                        n[1]++;
                    }
                }
            }
            byHow.forEach((k, n) -> {
                String[] kv = k.split("\t");
                b.append("| ")
                        .append(kv[0])
                        .append(" | ")
                        .append(kv[1])
                        .append(" | ")
                        .append(n[0])
                        .append(" | ")
                        .append(n[1])
                        .append(" | ")
                        .append(pct(ratio(n[1], n[0])))
                        .append(" |\n");
            });
            b.append('\n');

            b.append("## Where the wrong links come from\n\n");
            Map<String, List<Link>> causes = new TreeMap<>();
            for (Link l : links) {
                if (!l.verdict().equals("correct")) {
                    causes.computeIfAbsent(
                                    l.verdict() + "\t" + l.commit().repo.population() + "\t" + l.level() + "\t"
                                            + l.cause(),
                                    k -> new ArrayList<>())
                            .add(l);
                }
            }
            if (causes.isEmpty()) {
                b.append("None.\n\n");
            } else {
                b.append(
                                "Grouped by verdict, population, level and cause. The cause says where the commit was made and ")
                        .append(
                                "what tied the linked Codespace's owner to it: the reports from that Codespace that named the ")
                        .append(
                                "sha (the Feature's hook that sent each), and the pushes by that owner that carried it. ")
                        .append("All links are in `links.tsv`.\n\n");
                b.append("| verdict | population | level | cause | links | example (commit → Codespace) |\n");
                b.append("| --- | --- | --- | --- | ---: | --- |\n");
                causes.entrySet().stream()
                        .sorted((x, y) -> {
                            int byVerdict = x.getKey()
                                    .split("\t")[0]
                                    .compareTo(y.getKey().split("\t")[0]);
                            return byVerdict != 0
                                    ? -byVerdict
                                    : Integer.compare(
                                            y.getValue().size(), x.getValue().size());
                        })
                        .forEach(e -> {
                            String[] k = e.getKey().split("\t");
                            Link ex = e.getValue().get(0);
                            b.append("| ")
                                    .append(k[0])
                                    .append(" | ")
                                    .append(k[1])
                                    .append(" | ")
                                    .append(k[2])
                                    .append(" | ")
                                    .append(k[3].replace("|", "\\|"))
                                    .append(" | ")
                                    .append(e.getValue().size())
                                    .append(" | `")
                                    .append(ex.commit().sha, 0, 12)
                                    .append("` (")
                                    .append(ex.commit().how)
                                    .append(" by ")
                                    .append(ex.commit().maker.login)
                                    .append(") → `")
                                    .append(ex.codespace())
                                    .append("` |\n");
                        });
                b.append('\n');
            }

            b.append("## Adversaries\n\n");
            b.append(s.adversaries)
                    .append(" developers (")
                    .append(String.join(
                            ", ",
                            world.devs.stream()
                                    .filter(d -> d.adversary)
                                    .map(d -> "`" + d.login + "`")
                                    .toList()))
                    .append(") hold valid tokens of their own Codespaces and otherwise work normally.\n\n");
            b.append(
                    "| attempt | sent | the App's answers | linked afterwards | expected |\n| --- | ---: | --- | ---: | --- |\n");
            b.append("| report naming someone else's Codespace, own valid token | ")
                    .append(adv.claims)
                    .append(" | ")
                    .append(statuses(k -> k.equals("claim")))
                    .append(" | ")
                    .append(adv.claimsLinked)
                    .append(" | 403 (503 while GitHub is down), nothing linked |\n");
            b.append("| another developer's commit reported from own Codespace | ")
                    .append(adv.steals)
                    .append(" | ")
                    .append(statuses(k -> k.equals("steal")))
                    .append(" | ")
                    .append(adv.stealsLinked)
                    .append(" | 202 (the report is genuine), nothing linked |\n");
            b.append("| the same, then that commit pushed to a branch of one's own | ")
                    .append(adv.repushes)
                    .append(" | ")
                    .append(statuses(k -> k.equals("steal-repush")))
                    .append(" | ")
                    .append(adv.repushesLinked)
                    .append(" | 202, nothing linked |\n");
            b.append("| report with a made-up token | ")
                    .append(adv.invalid)
                    .append(" | ")
                    .append(statuses(k -> k.equals("invalid-token")))
                    .append(" | ")
                    .append(adv.invalidLinked)
                    .append(" | 401 (503 while GitHub is down), nothing linked |\n");
            b.append("| commit with a forged `Codespace: <someone else's>` trailer, pushed | ")
                    .append(adv.forged)
                    .append(" | (webhook) | ")
                    .append(adv.forgedLinked)
                    .append(" | nothing linked |\n\n");
            if (s.outageSeconds > 0) {
                b.append("During the simulated GitHub outage (the Codespaces and `/user` endpoints answer 503 for ")
                        .append(s.outageSeconds)
                        .append(" s from the middle of the run) the App cannot check a token: ")
                        .append(adv.sentInOutage)
                        .append(" adversary reports were sent then, ")
                        .append(adv.refusedInOutage)
                        .append(
                                " of them refused with 503 or 429 and nothing stored (the App keeps no report it cannot check;")
                        .append(" honest reporters keep theirs and send them again after Retry-After).\n\n");
            }

            b.append("## What ran\n\n");
            long forced =
                    executor.deliveries.stream().filter(d -> d.step().forced()).count();
            long created =
                    executor.deliveries.stream().filter(d -> d.step().created()).count();
            long deleted =
                    executor.deliveries.stream().filter(d -> d.step().deleted()).count();
            long made = world.commits.values().stream()
                    .filter(c -> !c.where.equals("history"))
                    .count();
            b.append("| | count |\n| --- | ---: |\n");
            b.append("| organization `")
                    .append(ORG)
                    .append("`: repositories (with the reporter / polling only) | ")
                    .append(world.repos.size())
                    .append(" (")
                    .append(world.repos.stream().filter(r -> r.reporter).count())
                    .append(" / ")
                    .append(world.repos.stream().filter(r -> !r.reporter).count())
                    .append(") |\n");
            b.append("| developers (adversaries among them) | ")
                    .append(world.devs.size())
                    .append(" (")
                    .append(s.adversaries)
                    .append(") |\n");
            b.append("| Codespaces (with the reporter / polling only; created during the run) | ")
                    .append(world.codespaces.size())
                    .append(" (")
                    .append(world.codespacesWithReporter())
                    .append(" / ")
                    .append(world.codespaces.size() - world.codespacesWithReporter())
                    .append("; ")
                    .append(world.codespaces.stream()
                            .filter(c -> c.createAt >= 0)
                            .count())
                    .append(") |\n");
            b.append("| developers with 1 / 2 / 3 / 4+ Codespaces | ")
                    .append(perDev(1))
                    .append(" / ")
                    .append(perDev(2))
                    .append(" / ")
                    .append(perDev(3))
                    .append(" / ")
                    .append(perDev(4))
                    .append(" |\n");
            b.append("| developers with two or more Codespaces on one repository | ")
                    .append(world.devs.stream()
                            .filter(d -> d.codespaces.stream()
                                            .map(c -> c.repo)
                                            .distinct()
                                            .count()
                                    < d.codespaces.size())
                            .count())
                    .append(" |\n");
            b.append("| Codespaces with the trailer option | ")
                    .append(world.codespaces.stream().filter(c -> c.trailer).count())
                    .append(" |\n");
            b.append("| commits made / pushed (the rest were rewritten or left unpushed) | ")
                    .append(made)
                    .append(" / ")
                    .append(measured.size())
                    .append(" |\n");
            b.append("| push deliveries (forced / new branch / branch deleted) | ")
                    .append(executor.deliveries.size())
                    .append(" (")
                    .append(forced)
                    .append(" / ")
                    .append(created)
                    .append(" / ")
                    .append(deleted)
                    .append(") |\n");
            b.append("| reports sent (honest / adversarial) | ")
                    .append(executor.reports.size())
                    .append(" (")
                    .append(executor.reports.stream()
                            .filter(x -> x.step.kind().equals("honest"))
                            .count())
                    .append(" / ")
                    .append(executor.reports.stream()
                            .filter(x -> !x.step.kind().equals("honest"))
                            .count())
                    .append(") |\n");
            b.append("| polls of the organization's Codespaces seen (after the scenario) | ")
                    .append(github.pollRounds.size())
                    .append(" (")
                    .append(executor.pollsAfterEnd)
                    .append(") |\n");
            b.append("| time scale | 1 simulated minute = ")
                    .append(fmt(s.scale))
                    .append(" s; ")
                    .append(s.simulatedSeconds() / 60)
                    .append(" simulated minutes in ")
                    .append(s.durationSeconds)
                    .append(" s; poll interval ")
                    .append(s.pollIntervalSeconds)
                    .append(" s (")
                    .append(fmt(s.pollIntervalSeconds / s.scale))
                    .append(" simulated min); inference window ")
                    .append(s.inferenceWindow)
                    .append("; idle timeout ")
                    .append(IDLE_MINUTES)
                    .append(" simulated min |\n");
            b.append("| lateness of the replay behind its schedule: p50 / p99 / max | ")
                    .append(percentile(0.5))
                    .append(" / ")
                    .append(percentile(0.99))
                    .append(" / ")
                    .append(percentile(1.0))
                    .append(" ms |\n\n");

            b.append("Behaviours in the scenario (times each happened):\n\n| behaviour | times |\n| --- | ---: |\n");
            behaviours.forEach(
                    (k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            b.append('\n');

            b.append("Reports by type and answer:\n\n| kind | type | answer | count |\n| --- | --- | --- | ---: |\n");
            Map<String, Integer> reportCounts = new TreeMap<>();
            for (Sent sent : executor.reports) {
                reportCounts.merge(
                        sent.step.kind() + " | " + sent.step.type() + " | " + sent.status
                                + (sent.verification == null || sent.verification.isEmpty()
                                        ? ""
                                        : " " + sent.verification)
                                + (sent.duringOutage ? " (GitHub down)" : ""),
                        1,
                        Integer::sum);
            }
            reportCounts.forEach(
                    (k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            b.append("\nPush deliveries by answer: ");
            Map<String, Integer> deliveryCounts = new TreeMap<>();
            for (Delivered d : executor.deliveries) {
                deliveryCounts.merge(d.status() + " " + d.outcome(), 1, Integer::sum);
            }
            b.append(String.join(
                            ", ",
                            deliveryCounts.entrySet().stream()
                                    .map(e -> e.getValue() + " × " + e.getKey())
                                    .toList()))
                    .append(" (installation: ")
                    .append(executor.installationStatus)
                    .append(").\n\n");

            b.append("Requests the fake GitHub served:\n\n| request | answer | count |\n| --- | --- | ---: |\n");
            new TreeMap<>(github.requests).forEach((k, v) -> {
                String[] kv = k.split("\t");
                b.append("| `")
                        .append(kv[0])
                        .append("` | ")
                        .append(kv[1])
                        .append(" | ")
                        .append(v.get())
                        .append(" |\n");
            });
            b.append("\nThe App's answers for the ")
                    .append(world.codespaces.size())
                    .append(" Codespaces (`GET /api/v1/codespaces/{name}`): ")
                    .append(String.join(
                            ", ",
                            codespaceAnswers.entrySet().stream()
                                    .map(e -> e.getValue() + " × " + e.getKey())
                                    .toList()))
                    .append(".\n\n");

            b.append("## The App's log\n\n");
            if (s.appLog == null) {
                b.append("Not read (no `--app-log`).\n\n");
            } else {
                int warn = logLevels.getOrDefault("WARN", 0);
                int error = logLevels.getOrDefault("ERROR", 0);
                b.append(warn)
                        .append(" WARN and ")
                        .append(error)
                        .append(" ERROR lines; ")
                        .append(expectedWarnings)
                        .append(
                                " of them are the expected refusals of adversaries' reports (`Refused a report for Codespace`).");
                if (!logMessages.isEmpty()) {
                    b.append(" By message (numbers, shas and names replaced):\n\n| count | line |\n| ---: | --- |\n");
                    logMessages.entrySet().stream()
                            .sorted((x, y) -> y.getValue() - x.getValue())
                            .limit(15)
                            .forEach(e -> b.append("| ")
                                    .append(e.getValue())
                                    .append(" | `")
                                    .append(e.getKey().replace("|", "\\|").replace("`", "'"))
                                    .append("` |\n"));
                }
                b.append("\n\n");
            }

            b.append("## Observations (computed)\n\n");
            int notes = 0;
            if (authorMismatches > 0) {
                b.append("- ")
                        .append(authorMismatches)
                        .append(" commits came back with an author login other than the ground truth's.\n");
                notes++;
            }
            for (String odd : oddities.subList(0, Math.min(5, oddities.size()))) {
                b.append("- ").append(odd).append('\n');
                notes++;
            }
            if (!unknownToApp.isEmpty()) {
                b.append("- ")
                        .append(unknownToApp.size())
                        .append(" pushed commits are unknown to the App, e.g. `")
                        .append(unknownToApp.get(0).sha)
                        .append("`.\n");
                notes++;
            }
            if (executor.pollsAfterEnd < 2) {
                b.append("- Only ")
                        .append(executor.pollsAfterEnd)
                        .append(" polls came after the scenario ended (two were awaited).\n");
                notes++;
            }
            long unexpected = executor.reports.stream()
                    .filter(x -> x.step.kind().equals("honest") && x.status != 202 && x.status != 200)
                    .count();
            if (unexpected > 0) {
                b.append("- ")
                        .append(unexpected)
                        .append(" honest reports were finally answered something else than 200/202.\n");
                notes++;
            }
            long retried = executor.reports.stream().filter(x -> x.attempts > 1).count();
            if (retried > 0) {
                b.append("- ")
                        .append(retried)
                        .append(" honest reports waited in the Feature's queue and were sent again.\n");
                notes++;
            }
            if (percentileValue(1.0) > 1_000) {
                List<Long> lateAt = new ArrayList<>();
                for (String row : executor.replay) {
                    String[] f = row.split("\t");
                    if (Long.parseLong(f[3]) > 1_000) {
                        lateAt.add(Long.parseLong(f[1]) / 1000);
                    }
                }
                b.append("- ")
                        .append(lateAt.size())
                        .append(" steps went out more than a second behind their schedule (max ")
                        .append(percentile(1.0))
                        .append(" ms, between ")
                        .append(lateAt.get(0))
                        .append(" s and ")
                        .append(lateAt.get(lateAt.size() - 1))
                        .append(" s into the scenario; `replay.tsv` has every step): ")
                        .append(
                                "the App or the machine was slow to answer then. The times sent stay the planned ones.\n");
                notes++;
            }
            long linkedLaptop = measured.stream()
                    .filter(c -> c.madeIn == null && linksBySha.containsKey(c.sha))
                    .count();
            b.append("- ")
                    .append(linkedLaptop)
                    .append(" of ")
                    .append(measured.stream().filter(c -> c.madeIn == null).count())
                    .append(" commits made outside any Codespace (laptops, github.com) got a Codespace link.\n");
            notes++;
            if (notes == 0) {
                b.append("- Nothing unusual.\n");
            }
            b.append("\nRaw files: `truth-*.tsv` and `scenario.tsv` (written before the run), `reports.tsv`, ")
                    .append(
                            "`deliveries.tsv`, `answers.jsonl`, `links.tsv`, `replay.tsv`, `github-requests.tsv`, `app.log` ")
                    .append("in the run's output directory (`OUT`; run.sh prints where).\n");
            return b.toString();
        }

        void requirement(String what, String measuredText, boolean met) {
            requirements.add(new String[] {what, measuredText, met ? "**met**" : "**missed**"});
            allMet &= met;
        }

        boolean correctlyLinked(Commit c) {
            return linksBySha.getOrDefault(c.sha, List.of()).stream()
                    .anyMatch(l -> l.verdict().equals("correct"));
        }

        void row(StringBuilder b, String level, List<Commit> commits, Predicate<Link> which, long csCommits) {
            Set<Commit> in = new HashSet<>(commits);
            long n = 0, correct = 0, wrongCs = 0, wrongDev = 0;
            for (Link l : links) {
                if (in.contains(l.commit()) && which.test(l)) {
                    n++;
                    switch (l.verdict()) {
                        case "correct" -> correct++;
                        case "wrong developer" -> wrongDev++;
                        default -> wrongCs++;
                    }
                }
            }
            b.append("| ")
                    .append(level)
                    .append(" | ")
                    .append(n)
                    .append(" | ")
                    .append(correct)
                    .append(" | ")
                    .append(wrongCs)
                    .append(" | ")
                    .append(wrongDev > 0 ? "**" + wrongDev + "**" : "0")
                    .append(" | ")
                    .append(n == 0 ? "–" : pct(ratio(correct, n)))
                    .append(" | ")
                    .append(csCommits == 0 ? "–" : pct(ratio(correct, csCommits)))
                    .append(" |\n");
        }

        String statuses(Predicate<String> kind) {
            Map<String, Integer> counts = new TreeMap<>();
            for (Sent sent : executor.reports) {
                if (kind.test(sent.step.kind())) {
                    counts.merge(
                            sent.status
                                    + (sent.verification == null || sent.verification.isEmpty()
                                            ? ""
                                            : " " + sent.verification)
                                    + (sent.duringOutage ? " (GitHub down)" : ""),
                            1,
                            Integer::sum);
                }
            }
            return counts.isEmpty()
                    ? "–"
                    : String.join(
                            ", ",
                            counts.entrySet().stream()
                                    .map(e -> e.getValue() + " × " + e.getKey())
                                    .toList());
        }

        final class Adversaries {
            int claims, claimsOutsideOutage, claims403, claimsInOutage, claimsLinked;
            int steals, stealsLinked, repushes, repushesLinked, invalid, invalidLinked, invalidInOutage;
            int refusedInOutage, sentInOutage, forged, forgedLinked;
            int refused, outsideOutage, inOutage; // claims and made-up tokens together
        }

        Adversaries adversaries() {
            Adversaries a = new Adversaries();
            for (Sent sent : executor.reports) {
                ReportStep r = sent.step;
                Commit c = world.commits.get(r.sha());
                boolean linked = c != null
                        && linksBySha.getOrDefault(c.sha, List.of()).stream()
                                .anyMatch(l -> l.codespace().equals(r.codespace())
                                        && (c.madeIn == null || !c.madeIn.name.equals(r.codespace())));
                if (sent.duringOutage && !r.kind().equals("honest")) {
                    a.sentInOutage++;
                    if (sent.status == 503 || sent.status == 429) {
                        a.refusedInOutage++;
                    }
                }
                switch (r.kind()) {
                    case "claim" -> {
                        a.claims++;
                        if (sent.duringOutage) {
                            a.claimsInOutage++;
                            a.inOutage++;
                            if (sent.status == 503 || sent.status == 429 || sent.status == 403) {
                                a.refused++;
                            }
                        } else {
                            a.claimsOutsideOutage++;
                            a.outsideOutage++;
                            if (sent.status == 403) {
                                a.claims403++;
                                a.refused++;
                            }
                        }
                        if (linked) {
                            a.claimsLinked++;
                        }
                    }
                    case "steal" -> {
                        a.steals++;
                        if (linked) {
                            a.stealsLinked++;
                        }
                    }
                    case "steal-repush" -> {
                        a.repushes++;
                        if (linked) {
                            a.repushesLinked++;
                        }
                    }
                    case "invalid-token" -> {
                        a.invalid++;
                        if (sent.duringOutage) {
                            a.invalidInOutage++;
                            a.inOutage++;
                            if (sent.status == 503 || sent.status == 429 || sent.status == 401) {
                                a.refused++;
                            }
                        } else {
                            a.outsideOutage++;
                            if (sent.status == 401) {
                                a.refused++;
                            }
                        }
                        if (linked) {
                            a.invalidLinked++;
                        }
                    }
                    default -> {}
                }
            }
            for (Commit c : measured) {
                if (c.forged) {
                    a.forged++;
                    if (linksBySha.getOrDefault(c.sha, List.of()).stream()
                            .anyMatch(l -> l.codespace().equals(c.trailerNames.name))) {
                        a.forgedLinked++;
                    }
                }
            }
            return a;
        }

        long perDev(int n) {
            return world.devs.stream()
                    .filter(d -> n == 4 ? d.codespaces.size() >= 4 : d.codespaces.size() == n)
                    .count();
        }

        long percentileValue(double q) {
            List<Long> sorted = new ArrayList<>(executor.lagMillis);
            if (sorted.isEmpty()) {
                return 0;
            }
            sorted.sort(null);
            return sorted.get(Math.min(
                    sorted.size() - 1,
                    (int) Math.ceil(q * sorted.size()) - 1 < 0 ? 0 : (int) Math.ceil(q * sorted.size()) - 1));
        }

        String percentile(double q) {
            return Long.toString(percentileValue(q));
        }
    }

    static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String minSec(long seconds) {
        return seconds / 60 + " min " + seconds % 60 + " s";
    }

    // ==== JSON: a writer for maps and lists, and a small reader ====================================

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static final class Json {
        static String write(Object o) {
            StringBuilder b = new StringBuilder(256);
            write(b, o);
            return b.toString();
        }

        static void write(StringBuilder b, Object o) {
            if (o == null) {
                b.append("null");
            } else if (o instanceof String s) {
                string(b, s);
            } else if (o instanceof Number || o instanceof Boolean) {
                b.append(o);
            } else if (o instanceof Map<?, ?> m) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    string(b, e.getKey().toString());
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            } else if (o instanceof Collection<?> c) {
                b.append('[');
                boolean first = true;
                for (Object x : c) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(b, x);
                }
                b.append(']');
            } else {
                string(b, o.toString());
            }
        }

        static void string(StringBuilder b, String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }

        /** A top-level field of a JSON object, or null (also for a body that is not JSON). */
        static Object field(String body, String name) {
            try {
                Object o = parse(body);
                return o instanceof Map<?, ?> m ? m.get(name) : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        static Object parse(String text) {
            Reader r = new Reader(text);
            r.space();
            Object value = r.value();
            r.space();
            if (r.i != text.length()) {
                throw new IllegalArgumentException("trailing characters at " + r.i);
            }
            return value;
        }

        static final class Reader {
            final String s;
            int i;

            Reader(String s) {
                this.s = s;
            }

            void space() {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
            }

            Object value() {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unexpected end");
                }
                char c = s.charAt(i);
                switch (c) {
                    case '{' -> {
                        i++;
                        Map<String, Object> m = new LinkedHashMap<>();
                        space();
                        if (s.charAt(i) == '}') {
                            i++;
                            return m;
                        }
                        while (true) {
                            space();
                            String key = string();
                            space();
                            expect(':');
                            space();
                            m.put(key, value());
                            space();
                            if (s.charAt(i) == ',') {
                                i++;
                            } else {
                                expect('}');
                                return m;
                            }
                        }
                    }
                    case '[' -> {
                        i++;
                        List<Object> l = new ArrayList<>();
                        space();
                        if (s.charAt(i) == ']') {
                            i++;
                            return l;
                        }
                        while (true) {
                            space();
                            l.add(value());
                            space();
                            if (s.charAt(i) == ',') {
                                i++;
                            } else {
                                expect(']');
                                return l;
                            }
                        }
                    }
                    case '"' -> {
                        return string();
                    }
                    case 't' -> {
                        word("true");
                        return Boolean.TRUE;
                    }
                    case 'f' -> {
                        word("false");
                        return Boolean.FALSE;
                    }
                    case 'n' -> {
                        word("null");
                        return null;
                    }
                    default -> {
                        int start = i;
                        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                            i++;
                        }
                        String n = s.substring(start, i);
                        if (n.isEmpty()) {
                            throw new IllegalArgumentException("unexpected '" + c + "' at " + start);
                        }
                        return n.contains(".") || n.contains("e") || n.contains("E")
                                ? (Object) Double.parseDouble(n)
                                : (Object) Long.parseLong(n);
                    }
                }
            }

            void word(String w) {
                if (!s.startsWith(w, i)) {
                    throw new IllegalArgumentException("expected " + w + " at " + i);
                }
                i += w.length();
            }

            void expect(char c) {
                if (i >= s.length() || s.charAt(i) != c) {
                    throw new IllegalArgumentException("expected '" + c + "' at " + i);
                }
                i++;
            }

            String string() {
                expect('"');
                StringBuilder b = new StringBuilder();
                while (true) {
                    char c = s.charAt(i++);
                    if (c == '"') {
                        return b.toString();
                    }
                    if (c != '\\') {
                        b.append(c);
                        continue;
                    }
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                }
            }
        }
    }

    // ==== options =================================================================================

    static final class Options {
        final Map<String, String> values = new HashMap<>();

        Options(String[] args) {
            for (int i = 0; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    String key = args[i].substring(2);
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        values.put(key, args[++i]);
                    } else {
                        values.put(key, "true");
                    }
                }
            }
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        String get(String key, String otherwise) {
            return values.getOrDefault(key, otherwise);
        }

        String require(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalArgumentException("--" + key + " is required");
            }
            return v;
        }

        int integer(String key, int otherwise) {
            return has(key) ? Integer.parseInt(values.get(key)) : otherwise;
        }

        long longValue(String key, long otherwise) {
            return has(key) ? Long.parseLong(values.get(key)) : otherwise;
        }

        double decimal(String key, double otherwise) {
            return has(key) ? Double.parseDouble(values.get(key)) : otherwise;
        }
    }
}

package dev.correlator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A TCP relay between the App and PostgreSQL that a test can cut and restore, to show what the
 * App does while its database is gone: connections in use break, new ones are refused.
 */
public class DatabaseProxy implements QuarkusTestResourceLifecycleManager {

    private static volatile boolean up = true;
    private static final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private static ServerSocket server;

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(DatabaseProxy::accept, "database-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
        return Map.of(
                "quarkus.datasource.jdbc.url",
                "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/" + Database.NAME,
                "quarkus.datasource.jdbc.acquisition-timeout",
                "2S");
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cut();
    }

    public static void cut() {
        up = false;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    public static void restore() {
        up = true;
    }

    private static void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!up) {
                    closeQuietly(client);
                    continue;
                }
                Socket database = new Socket("127.0.0.1", 5432);
                open.add(client);
                open.add(database);
                pipe(client, database);
                pipe(database, client);
            } catch (IOException e) {
                // the server socket closed, or PostgreSQL refused: the client sees a dropped connection
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side closed
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "database-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

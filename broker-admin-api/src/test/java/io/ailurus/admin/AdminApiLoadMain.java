package io.ailurus.admin;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A rough load probe, not a test: N client threads with keep-alive connections hammer one admin
 * route for a fixed time against a real server on loopback and print requests/s and latency
 * percentiles. Run from the module directory after {@code test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat /tmp/admin-cp.txt) io.ailurus.admin.AdminApiLoadMain /v1/brokers 4 10
 * </pre>
 */
public final class AdminApiLoadMain {

    public static void main(String[] args) throws Exception {
        String path = args.length > 0 ? args[0] : "/v1/status/ready";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        try (AdminServerFixture admin = new AdminServerFixture()) {
            HttpRequest req = HttpRequest.newBuilder(admin.uri(path)).timeout(Duration.ofSeconds(10)).GET().build();
            // Warm up (JIT, connection set-up) before measuring.
            runFor(admin, req, threads, 3);
            long t0 = System.nanoTime();
            long[] lat = runFor(admin, req, threads, seconds);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(lat);
            int bodyBytes = admin.client.send(req, HttpResponse.BodyHandlers.ofString()).body().length();
            System.out.printf("%s threads=%d: %.0f req/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms, body %d bytes%n",
                    path, threads, lat.length / elapsed, lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6,
                    lat[lat.length - 1] / 1e6, bodyBytes);
        }
    }

    private static long[] runFor(AdminServerFixture admin, HttpRequest req, int threads, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    long[] buf = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() >= 500) {
                            throw new IllegalStateException("status " + r.statusCode());
                        }
                        if (n == buf.length) {
                            buf = Arrays.copyOf(buf, n * 2);
                        }
                        buf[n++] = System.nanoTime() - s;
                    }
                    client.close();
                    return Arrays.copyOf(buf, n);
                }));
            }
            List<long[]> parts = new ArrayList<>();
            for (Future<long[]> f : futures) {
                parts.add(f.get());
            }
            return parts.stream().flatMapToLong(Arrays::stream).toArray();
        } finally {
            pool.shutdownNow();
        }
    }
}

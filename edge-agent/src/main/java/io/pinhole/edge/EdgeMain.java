package io.pinhole.edge;

import java.util.concurrent.CountDownLatch;

/** {@code java -jar pinhole-edge.jar --upstream HOST[:PORT] --credential FILE|--token-file FILE ...}: runs until SIGTERM. */
public final class EdgeMain {

    private EdgeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(EdgeOptions.USAGE);
            return;
        }
        EdgeAgent agent;
        try {
            agent = new EdgeAgent(EdgeOptions.parse(args));
        } catch (IllegalArgumentException e) {
            System.err.println("pinhole edge: " + e.getMessage());
            Runtime.getRuntime().halt(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "edge-shutdown"));
        agent.start();
        stopped.await();
    }
}

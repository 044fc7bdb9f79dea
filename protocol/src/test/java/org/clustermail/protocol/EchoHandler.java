package org.clustermail.protocol;

import java.io.IOException;

/**
 * A tiny line protocol for testing the core: greets, echoes lines, and knows STARTTLS, SLOW (works for a while
 * before replying) and QUIT; says BYE on stop, TIMEOUT on timeouts, BUSY when refused.
 */
final class EchoHandler implements ConnectionHandler {

    @Override
    public void serve(Connection c) throws IOException {
        c.output().line("HELLO " + (c.secure() ? "tls" : "plain"));
        try {
            while (true) {
                Line line;
                try {
                    line = c.input().readLine(100);
                } catch (LineTooLongException e) {
                    c.output().line("TOO LONG");
                    continue;
                }
                String text = line.text();
                switch (text) {
                    case "QUIT" -> {
                        c.output().line("BYE");
                        return;
                    }
                    case "STARTTLS" -> {
                        c.output().line("GO");
                        c.startTls();
                    }
                    case "SLOW" -> {
                        sleep(500);
                        c.output().line("DONE");
                    }
                    case "HANG" -> sleep(10_000);
                    default -> c.output().line("ECHO " + text + (c.secure() ? " tls" : ""));
                }
            }
        } catch (ServerStoppingException e) {
            c.output().line("BYE stopping");
        } catch (ReadTimeoutException e) {
            c.output().line("TIMEOUT " + e.kind());
        }
    }

    @Override
    public void refuse(Connection c) throws IOException {
        c.output().line("BUSY");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

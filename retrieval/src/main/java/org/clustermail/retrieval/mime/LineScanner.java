package org.clustermail.retrieval.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a message line by line from a stream, keeping byte offsets, without holding more than one buffer and the
 * first {@value #KEEP} bytes of the current line. Lines end with LF (a CR before it is part of the terminator).
 * One line can be pushed back ({@link #unread()}), which is all the MIME scanner needs to hand a boundary to the
 * enclosing part. Not thread-safe.
 */
final class LineScanner {

    /** How much of a line is kept for inspection; longer lines are counted in full but truncated here. */
    static final int KEEP = 16 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int bufPos;
    private int bufLen;
    private long bufOffset;

    private byte[] line = new byte[256];
    private int kept;
    private long lineStart;
    private int eolLength;
    private int previousEol;
    private long lineEnd;
    private long linesRead;
    private boolean pushedBack;
    private boolean eof;

    LineScanner(InputStream in) {
        this.in = in;
    }

    /** Advances to the next line; false at end of input. */
    boolean next() throws IOException {
        if (pushedBack) {
            pushedBack = false;
            linesRead++;
            return true;
        }
        if (eof) {
            return false;
        }
        previousEol = eolLength;
        lineStart = lineEnd;
        kept = 0;
        eolLength = 0;
        long length = 0;
        byte last = 0;
        while (true) {
            if (bufPos == bufLen && !fill()) {
                eof = true;
                break;
            }
            byte b = buf[bufPos++];
            length++;
            if (b == '\n') {
                eolLength = last == '\r' ? 2 : 1;
                if (eolLength == 2 && kept == length - 1) {
                    kept--;
                }
                break;
            }
            last = b;
            keep(b);
        }
        lineEnd = lineStart + length;
        if (length == 0) {
            return false;
        }
        linesRead++;
        return true;
    }

    private void keep(byte b) {
        if (kept < KEEP) {
            if (kept == line.length) {
                line = Arrays.copyOf(line, Math.min(KEEP, line.length * 2));
            }
            line[kept++] = b;
        }
    }

    private boolean fill() throws IOException {
        bufOffset += bufLen;
        bufPos = 0;
        bufLen = 0;
        int n = in.read(buf);
        if (n <= 0) {
            return false;
        }
        bufLen = n;
        return true;
    }

    /** Makes the next {@link #next()} return the current line again. */
    void unread() {
        pushedBack = true;
        linesRead--;
    }

    /** Whether the current line was pushed back. */
    boolean pushedBack() {
        return pushedBack;
    }

    /** Offset of the first byte of the current line. */
    long lineStart() {
        return lineStart;
    }

    /** Offset just past the current line's terminator. */
    long lineEnd() {
        return lineEnd;
    }

    /** Length of the terminator (CRLF 2, LF 1) of the line before the current one. */
    int previousEol() {
        return previousEol;
    }

    /** Lines read so far, the current one included. */
    long linesRead() {
        return linesRead;
    }

    /** The current line's bytes without terminator, up to {@link #KEEP}. */
    byte[] bytes() {
        return line;
    }

    int length() {
        return kept;
    }

    boolean blank() {
        return kept == 0;
    }

    /** Offset of the end of input once {@link #next()} returned false. */
    long end() {
        return lineEnd;
    }
}

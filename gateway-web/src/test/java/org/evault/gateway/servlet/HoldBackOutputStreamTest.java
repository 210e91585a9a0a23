package org.evault.gateway.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

class HoldBackOutputStreamTest {
    /** Prevents a retrieval that fails its final hash check from delivering a complete-looking body. */
    @Test
    void lastWrite_heldUntilRelease_flushDoesNotPassItOn() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        HoldBackOutputStream out = new HoldBackOutputStream(sink);
        out.write(new byte[] {1, 2, 3}, 0, 3);
        assertThat(sink.toByteArray()).isEmpty();
        out.write(new byte[] {9, 4, 5, 9}, 1, 2);
        assertThat(sink.toByteArray()).containsExactly(1, 2, 3);
        out.flush();
        assertThat(sink.toByteArray()).containsExactly(1, 2, 3);
        out.write(6);
        assertThat(sink.toByteArray()).containsExactly(1, 2, 3, 4, 5);
        out.release();
        assertThat(sink.toByteArray()).containsExactly(1, 2, 3, 4, 5, 6);
        out.release();
        assertThat(sink.toByteArray()).hasSize(6);
    }

    @Test
    void buffersReusedAcrossSizes() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        HoldBackOutputStream out = new HoldBackOutputStream(sink);
        out.write(new byte[100], 0, 100);
        out.write(new byte[] {7}, 0, 1);
        out.write(new byte[50], 0, 50);
        out.release();
        assertThat(sink.size()).isEqualTo(151);
        assertThat(sink.toByteArray()[100]).isEqualTo((byte) 7);
    }
}

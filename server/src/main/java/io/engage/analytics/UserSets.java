package io.engage.analytics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.roaringbitmap.RoaringBitmap;

/** Storage form of the per-bucket end-user sets: Roaring bitmaps of user ordinals in their portable format. */
final class UserSets {

    private UserSets() {
    }

    static byte[] bytes(RoaringBitmap users) {
        users.runOptimize();
        ByteBuffer buffer = ByteBuffer.allocate(users.serializedSizeInBytes());
        users.serialize(buffer);
        return buffer.array();
    }

    static RoaringBitmap bitmap(byte[] bytes) {
        RoaringBitmap users = new RoaringBitmap();
        try {
            users.deserialize(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt end-user set", e);
        }
        return users;
    }
}

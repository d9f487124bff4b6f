package io.pinhole.proxy.admin;

import java.util.List;

/**
 * One page of a longer list: {@code items} are rows {@code offset} to {@code offset + items.size() - 1}
 * of the {@code total} that match.
 */
public record Page<T>(long total, int limit, int offset, List<T> items) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** The limit and offset asked for, checked (400 when out of range). */
    record Window(int limit, int offset) {

        static Window of(Integer limit, Integer offset) {
            int l = limit == null ? DEFAULT_LIMIT : limit;
            int o = offset == null ? 0 : offset;
            if (l < 1 || l > MAX_LIMIT) {
                throw ApiException.badRequest("limit: must be between 1 and " + MAX_LIMIT);
            }
            if (o < 0) {
                throw ApiException.badRequest("offset: must be 0 or more");
            }
            return new Window(l, o);
        }
    }
}

package io.pinhole.proxy.overload;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A fixed pool whose waiting tasks carry the time they were handed in, so the age of the oldest
 * one can be read at once: how far behind the pool's threads are. The relay's answers continue
 * calls here (the INVITE to the callee, the 200 to the caller); when the proxy runs out of CPU
 * this queue grows while the SIP workers' own may not, so admission must see it.
 */
public final class TimedExecutor extends ThreadPoolExecutor {

    public TimedExecutor(int threads, ThreadFactory factory) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
    }

    @Override
    public void execute(Runnable command) {
        super.execute(new Stamped(command, System.nanoTime()));
    }

    /** Milliseconds the oldest task not yet taken by a thread has waited; 0 when none waits. */
    public long oldestWaitMillis() {
        BlockingQueue<Runnable> queue = getQueue();
        return queue.peek() instanceof Stamped oldest
                ? Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest.at)) : 0;
    }

    private record Stamped(Runnable task, long at) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }
}

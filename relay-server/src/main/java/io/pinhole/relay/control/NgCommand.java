package io.pinhole.relay.control;

import java.util.Map;

/** One ng command, registered in {@link NgCommandTable} under its wire name. Runs on the control thread. */
public interface NgCommand {

    /** The value of the {@code command} key this class answers. */
    String name();

    /** The reply dictionary; {@code result} defaults to {@code ok} when absent. */
    Map<String, Object> execute(NgRequest request) throws NgException;
}

package io.pinhole.proxy.sip;

/**
 * A dialog's application data that knows the flow towards the dialog's phone, so that a request
 * the stack sends by itself inside that dialog goes there too ({@link FlowRouter}).
 */
public interface DialogFlow {

    /** The flow towards the phone of this dialog; null when there is none. */
    Flow flow();
}

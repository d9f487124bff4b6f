package io.pinhole.proxy.capture;

import io.pinhole.proxy.sip.CaptureProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-memory capture of recent calls ({@code pinhole.capture.recent-calls}, {@code messages-per-call}). */
@Configuration(proxyBeanMethods = false)
public class CaptureConfiguration {

    @Bean
    CallCapture callCapture(CaptureProperties properties) {
        return new CallCapture(properties.recentCalls(), properties.messagesPerCall());
    }
}

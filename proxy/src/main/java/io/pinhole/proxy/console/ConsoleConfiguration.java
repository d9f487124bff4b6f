package io.pinhole.proxy.console;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console: static files ({@code classpath:/static/console/}) at {@code /console/} on the
 * admin port. The pages are public; every piece of data they show comes from the admin API,
 * which asks for the admin token the person signs in with.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {

    /** First of all filters, so even a 401 from the token filter carries the headers. */
    @Bean
    FilterRegistrationBean<ConsoleHeadersFilter> consoleHeadersFilter() {
        FilterRegistrationBean<ConsoleHeadersFilter> registration = new FilterRegistrationBean<>(new ConsoleHeadersFilter());
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    WebMvcConfigurer consolePages() {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addRedirectViewController("/console", "/console/");
                registry.addViewController("/console/").setViewName("forward:/console/index.html");
            }
        };
    }
}

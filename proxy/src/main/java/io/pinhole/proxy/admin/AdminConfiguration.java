package io.pinhole.proxy.admin;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
public class AdminConfiguration {

    /** The admin API, the metrics and the OpenAPI document ({@code /v3/api-docs}) need the token. */
    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(AdminProperties properties) {
        FilterRegistrationBean<AdminTokenFilter> registration =
                new FilterRegistrationBean<>(new AdminTokenFilter(AdminToken.from(properties)));
        registration.addUrlPatterns("/api/*", "/actuator/*", "/v3/*");
        registration.setOrder(0);
        return registration;
    }

    /** The last 20 warnings and errors of the log, for the console's overview. */
    @Bean(destroyMethod = "close")
    RecentErrors recentErrors() {
        return RecentErrors.attach(20);
    }

    /** {@code ?format=csv} asks for CSV as {@code Accept: text/csv} does (the CDR export). */
    @Bean
    WebMvcConfigurer formatParameter() {
        return new WebMvcConfigurer() {
            @Override
            public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
                configurer.favorParameter(true).parameterName("format")
                        .mediaType("csv", MediaType.parseMediaType(CdrController.TEXT_CSV))
                        .mediaType("json", MediaType.APPLICATION_JSON);
            }
        };
    }
}

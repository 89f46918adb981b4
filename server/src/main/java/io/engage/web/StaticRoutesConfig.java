package io.engage.web;

import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Stable public paths for built front-end files, and how long browsers may cache them. */
@Configuration
class StaticRoutesConfig implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        // The embed snippet says /widget.js; the build produces engage-widget.js.
        registry.addViewController("/widget.js").setViewName("forward:/engage-widget.js");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // widget.js is named by every customer's embed snippet: short caching so that an upgrade reaches sites
        // within minutes. The panel it loads is requested with its content hash (?v=...), so it never changes.
        registry.addResourceHandler("/engage-widget.js").addResourceLocations("classpath:/static/")
                .setCacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic());
        registry.addResourceHandler("/engage-panel.js").addResourceLocations("classpath:/static/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }
}

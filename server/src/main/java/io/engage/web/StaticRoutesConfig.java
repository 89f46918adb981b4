package io.engage.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Stable public paths for built front-end files. */
@Configuration
class StaticRoutesConfig implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        // The embed snippet says /widget.js; the build produces engage-widget.js.
        registry.addViewController("/widget.js").setViewName("forward:/engage-widget.js");
    }
}

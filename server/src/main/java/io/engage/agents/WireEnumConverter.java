package io.engage.agents;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets query parameters use the same lowercase words as JSON (e.g. {@code ?status=published}). */
@Configuration(proxyBeanMethods = false)
class WireEnumConverter implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverterFactory(new ConverterFactory<String, Enum<?>>() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public <T extends Enum<?>> Converter<String, T> getConverter(Class<T> targetType) {
                if (WireEnum.class.isAssignableFrom(targetType)) {
                    return source -> source.isBlank() ? null : (T) WireEnum.parse((Class) targetType, source);
                }
                return source -> source.isBlank() ? null : (T) Enum.valueOf((Class) targetType, source.trim());
            }
        });
    }
}

package io.engage.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Reads and writes every {@link WireEnum} in its wire form, in JSON bodies and in query parameters. */
@Configuration(proxyBeanMethods = false)
class WireEnumSupport implements WebMvcConfigurer {

    @Bean
    Module wireEnumModule() {
        SimpleModule module = new SimpleModule("engage-wire-enums");
        module.addSerializer(WireEnum.class, new JsonSerializer<>() {
            @Override
            public void serialize(WireEnum value, JsonGenerator generator, SerializerProvider provider)
                    throws IOException {
                generator.writeString(value.wire());
            }
        });
        module.setDeserializers(new SimpleDeserializers() {
            @Override
            public JsonDeserializer<?> findEnumDeserializer(Class<?> type, DeserializationConfig config,
                    BeanDescription description) {
                return WireEnum.class.isAssignableFrom(type) ? new WireEnumDeserializer(type) : null;
            }
        });
        return module;
    }

    private static final class WireEnumDeserializer extends JsonDeserializer<Object> {
        private final Class<?> type;

        WireEnumDeserializer(Class<?> type) {
            this.type = type;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return WireEnum.parse((Class) type, text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(parser, e.getMessage(), text, type);
            }
        }
    }

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

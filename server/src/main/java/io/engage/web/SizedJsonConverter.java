package io.engage.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.stereotype.Component;

/**
 * JSON responses with a Content-Length. Spring's converter streams JSON into the response, which Tomcat then sends
 * chunked: the body with the headers, and the closing chunk in a second write when the request ends. Every response
 * of the API is small (lists are paged), so serialising it first costs a copy of a few kilobytes and saves a write
 * (a system call and a TCP segment) per response, and the client sees a complete response at once. Replaces Spring
 * Boot's converter (it backs off when one of this type exists), so its settings (the application's ObjectMapper,
 * problem+json) stay.
 */
@Component
class SizedJsonConverter extends MappingJackson2HttpMessageConverter {

    SizedJsonConverter(ObjectMapper objectMapper) {
        super(objectMapper);
    }

    @Override
    protected void writeInternal(Object object, Type type, HttpOutputMessage output) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(2048);
        super.writeInternal(object, type, new HttpOutputMessage() {
            @Override
            public OutputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return output.getHeaders();
            }
        });
        output.getHeaders().setContentLength(body.size());
        body.writeTo(output.getBody());
    }
}

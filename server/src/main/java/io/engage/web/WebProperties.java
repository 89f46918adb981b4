package io.engage.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** {@code engage.web.*}: HTTP limits. */
@ConfigurationProperties(prefix = "engage.web")
record WebProperties(@DefaultValue("1MB") DataSize maxJsonBody) {
}

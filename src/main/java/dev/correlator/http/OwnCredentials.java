package dev.correlator.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource that checks its own credentials (a delivery's signature, a Codespace's token), so
 * the API's token filter leaves it alone. Every resource without it needs an API token, whatever
 * its path: a new resource is closed until someone says otherwise.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OwnCredentials {}

package dev.correlator.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InterceptorBinding;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.ForbiddenException;

/**
 * Endpoints for the administrators only (the tokens of correlator.api.tokens). {@link ApiTokenFilter}
 * answers 403 to other callers; the resource checks again itself, so it never depends on the
 * filter having run.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AdminOnly {

    /** Refuses every call whose caller is not an administrator (401 when there is no caller). */
    @AdminOnly
    @Interceptor
    @Priority(Interceptor.Priority.PLATFORM_BEFORE)
    class Check {

        @Inject
        ApiCaller caller;

        @AroundInvoke
        Object onlyAdministrators(InvocationContext invocation) throws Exception {
            if (!caller.admin()) {
                throw new ForbiddenException("only an administrator's token can use the admin endpoints");
            }
            return invocation.proceed();
        }
    }
}

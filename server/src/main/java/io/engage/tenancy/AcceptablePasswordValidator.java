package io.engage.tenancy;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.lang.reflect.RecordComponent;
import java.util.Optional;

/** Checks {@link AcceptablePassword} with the application's {@link PasswordPolicy} (Spring injects it). */
class AcceptablePasswordValidator implements ConstraintValidator<AcceptablePassword, Record> {

    private final PasswordPolicy policy;
    private String passwordComponent;
    private String emailComponent;

    AcceptablePasswordValidator(PasswordPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void initialize(AcceptablePassword annotation) {
        this.passwordComponent = annotation.password();
        this.emailComponent = annotation.email();
    }

    @Override
    public boolean isValid(Record request, ConstraintValidatorContext context) {
        if (request == null || !(component(request, passwordComponent) instanceof String password)
                || password.isBlank() || password.length() > PasswordPolicy.MAX_LENGTH) {
            return true; // @NotBlank and @Size on the component report these
        }
        Object email = component(request, emailComponent);
        Optional<PasswordPolicy.Violation> broken = policy.violation(password, email instanceof String e ? e : null);
        if (broken.isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        // the message is plain text: escape what the message interpolation would otherwise evaluate
        context.buildConstraintViolationWithTemplate(broken.get().message().replaceAll("([{}$\\\\])", "\\\\$1"))
                .addPropertyNode(passwordComponent).addConstraintViolation();
        return false;
    }

    private static Object component(Record request, String name) {
        for (RecordComponent component : request.getClass().getRecordComponents()) {
            if (component.getName().equals(name)) {
                try {
                    var accessor = component.getAccessor();
                    accessor.setAccessible(true); // request records are package-private in their controllers
                    return accessor.invoke(request);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Cannot read " + name + " of " + request.getClass(), e);
                }
            }
        }
        throw new IllegalStateException(request.getClass() + " has no component " + name);
    }
}

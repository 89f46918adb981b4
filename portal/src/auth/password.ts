// The server's password policy (PasswordPolicy): at least 12 characters by default (engage.auth.password-min-length),
// at most 128, not a commonly used password, not containing the name part of the email. The forms check the length
// before sending; any other broken rule comes back as the server's field error on the password.
export const PASSWORD_MIN_LENGTH = 12;
const PASSWORD_MAX_LENGTH = 128;

export const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters; not a common password or your email name`;

export function passwordError(value: string): string | null {
  // characters as the server counts them (code points), so an emoji counts once
  if ([...value].length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters`;
  if (value.length > PASSWORD_MAX_LENGTH) return `At most ${PASSWORD_MAX_LENGTH} characters`;
  return null;
}

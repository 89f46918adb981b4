// Self-service sign-up: creates a company with its first company admin and signs that admin in.
import { Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/problem';
import { postTokens } from '../../auth/LoginPage';
import { PASSWORD_HINT, passwordError } from '../../auth/password';
import { signedIn } from '../../auth/session';

const FIELDS = ['companyName', 'email', 'password'] as const;

export default function SignupPage() {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { companyName: '', email: '', password: '', confirm: '' },
    validate: {
      companyName: (v) => (!v.trim() ? 'Enter your company name' : v.length > 200 ? 'At most 200 characters' : null),
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address'),
      password: passwordError,
      confirm: (v, values) => (v === values.password ? null : 'The passwords do not match'),
    },
  });

  const submit = form.onSubmit(async ({ companyName, email, password }) => {
    setError(null);
    try {
      signedIn('company', await postTokens('/company/signup', { companyName: companyName.trim(), email: email.trim(),
        password }));
      navigate('/app/agents', { replace: true });
    } catch (e) {
      if (e instanceof ApiError) {
        const fields = e.fieldErrors();
        const known = Object.entries(fields).filter(([field]) => (FIELDS as readonly string[]).includes(field));
        known.forEach(([field, message]) => form.setFieldError(field, message));
        if (e.problem.status === 409) form.setFieldError('email', e.problem.detail || 'This email is already registered');
        else if (known.length === 0) setError(e.problem.detail || e.message);
      } else {
        setError(String(e));
      }
    }
  });

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420} maw="100%" component="form" onSubmit={submit}
        noValidate>
        <Stack>
          <div>
            <Title order={2}>Create your Engage account</Title>
            <Text c="dimmed" size="sm">A new company with you as its admin. You can invite your team later.</Text>
          </div>
          <TextInput label="Company name" autoComplete="organization" required
            {...form.getInputProps('companyName')} />
          <TextInput label="Work email" type="email" autoComplete="username" required
            {...form.getInputProps('email')} />
          <PasswordInput label="Password" description={PASSWORD_HINT} autoComplete="new-password" required
            {...form.getInputProps('password')} />
          <PasswordInput label="Confirm password" autoComplete="new-password" required
            {...form.getInputProps('confirm')} />
          {error && <Text c="red" size="sm" role="alert">{error}</Text>}
          <Button type="submit" loading={form.submitting}>Create account</Button>
          <Text size="sm" c="dimmed">Already have an account? <Anchor component={Link} to="/app/login">Sign in</Anchor>
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}

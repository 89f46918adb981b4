// Sign-in for either area: platform admins at /admin/login, company users at /app/login.
import { Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, problemOf } from '../api/problem';
import { type Area, signedIn, type Tokens } from './session';

export async function postTokens(path: string, body: object): Promise<Tokens> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(await problemOf(response));
  return (await response.json()) as Tokens;
}

export function LoginPage({ area }: { area: Area }) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const home = area === 'admin' ? '/admin' : '/app';
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v) ? null : 'Enter a valid email address'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      signedIn(area, await postTokens(area === 'admin' ? '/admin/login' : '/company/login', values));
      navigate(params.get('next') || home, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.detail || e.message : String(e));
    }
  });
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={380} component="form" onSubmit={submit} noValidate>
        <Stack>
          <Title order={2}>{area === 'admin' ? 'Platform admin' : 'Sign in to Engage'}</Title>
          <TextInput label="Email" type="email" autoComplete="username" required {...form.getInputProps('email')} />
          <PasswordInput label="Password" autoComplete="current-password" required
            {...form.getInputProps('password')} />
          {error && <Text c="red" size="sm" role="alert">{error}</Text>}
          <Button type="submit" loading={form.submitting}>Sign in</Button>
          {area === 'company' && (
            <Text size="sm" c="dimmed">No account yet? <Anchor component={Link} to="/app/signup">Sign up</Anchor></Text>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}

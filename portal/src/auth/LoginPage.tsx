// Sign-in for either area: platform admins at /admin/login, company users at /app/login. Besides the password form,
// one button per configured identity provider (OIDC): the browser leaves for the provider and comes back here with a
// one-time ?code= (exchanged for tokens, bound to this browser by a cookie) or an ?error= from a fixed list.
import { Anchor, Button, Center, Divider, Loader, Paper, PasswordInput, Stack, Text, TextInput, Title }
  from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, problemOf } from '../api/problem';
import type { components } from '../api/schema';
import { type Area, signedIn, type Tokens } from './session';

type Provider = components['schemas']['OidcProviderView'];

export async function postTokens(path: string, body: object): Promise<Tokens> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(await problemOf(response));
  return (await response.json()) as Tokens;
}

/** What the server's ?error= codes mean to the person signing in (anything else: the generic message). */
export function oidcErrorMessage(code: string, area: Area): string {
  const account = area === 'admin' ? 'platform admin account' : 'Engage account';
  switch (code) {
    case 'no_account':
      return `There is no ${account} for the email address your identity provider confirmed.`;
    case 'email_unverified':
      return 'Your identity provider has not verified your email address, so it cannot be used to sign in.';
    case 'email_missing':
      return 'Your identity provider did not share your email address.';
    case 'access_denied':
      return 'Sign-in was cancelled at your identity provider.';
    case 'state_mismatch':
      return 'That sign-in expired or was started in another browser. Please try again.';
    case 'provider_unavailable':
      return 'The identity provider cannot be reached right now. Try again later or use your password.';
    case 'unknown_provider':
      return 'This sign-in option is not available.';
    default:
      return 'Signing in with your identity provider failed. Please try again.';
  }
}

// where to go after a provider sign-in: the page's ?next= does not survive the trip, so it waits in the tab
const nextKey = (area: Area) => `engage.oidc.next.${area}`;
// codes already being exchanged: a code works once, and React may run an effect twice
const exchanging = new Set<string>();

export function LoginPage({ area }: { area: Area }) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const code = params.get('code');
  const oidcError = params.get('error');
  const [error, setError] = useState<string | null>(oidcError ? oidcErrorMessage(oidcError, area) : null);
  const [exchangingCode, setExchangingCode] = useState(!!code);
  const [providers, setProviders] = useState<Provider[]>([]);
  const home = area === 'admin' ? '/admin' : '/app';
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v) ? null : 'Enter a valid email address'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });

  useEffect(() => {
    let live = true;
    fetch('/auth/oidc/providers', { headers: { Accept: 'application/json' } })
      .then((response) => (response.ok ? response.json() : { items: [] }))
      .then((page: { items?: Provider[] }) => live && setProviders(page.items ?? []))
      .catch(() => undefined); // no buttons then; the password form still works
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!code || exchanging.has(code)) return;
    exchanging.add(code);
    const next = sessionStorage.getItem(nextKey(area));
    sessionStorage.removeItem(nextKey(area));
    // the code leaves the address bar (and history) at once, whatever happens next
    navigate({ search: '' }, { replace: true });
    postTokens('/auth/oidc/exchange', { code })
      .then((tokens) => {
        signedIn(area, tokens);
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : home, { replace: true });
      })
      .catch((e) => setError(e instanceof ApiError ? e.problem.detail || e.message : String(e)))
      .finally(() => setExchangingCode(false));
  }, [code, area, home, navigate]);

  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      signedIn(area, await postTokens(area === 'admin' ? '/admin/login' : '/company/login', values));
      navigate(params.get('next') || home, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.detail || e.message : String(e));
    }
  });

  // a plain link: the browser leaves the app for the provider
  const rememberNext = () => {
    const next = params.get('next');
    if (next) sessionStorage.setItem(nextKey(area), next);
  };

  if (exchangingCode) {
    return (
      <Center mih="100vh" bg="gray.0" p="md">
        <Stack align="center"><Loader /><Text c="dimmed">Signing you in…</Text></Stack>
      </Center>
    );
  }
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
          {providers.length > 0 && <Divider label="or" labelPosition="center" />}
          {providers.map((provider) => (
            <Button key={provider.id} component="a" variant="default" onClick={rememberNext}
              href={`${provider.loginUrl}?portal=${area === 'admin' ? 'admin' : 'app'}`}>
              Sign in with {provider.name}
            </Button>
          ))}
          {area === 'company' && (
            <Text size="sm" c="dimmed">No account yet? <Anchor component={Link} to="/app/signup">Sign up</Anchor></Text>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}

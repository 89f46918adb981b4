// Placeholder portal: the admin (/admin/*) and company (/app/*) areas arrive with the portal issue.
// It already shows which area the browser is in and where the API lives, so the SPA routing is exercised.
export function App() {
  const path = window.location.pathname;
  const area = path.startsWith('/admin') ? 'Admin portal' : path.startsWith('/app') ? 'Company portal' : 'Engage';
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto', padding: '0 1rem' }}>
      <h1 data-testid="area">{area}</h1>
      <p>
        Engage is running. The API is documented at <a href="/swagger-ui.html">/swagger-ui.html</a>; health at{' '}
        <a href="/actuator/health">/actuator/health</a>.
      </p>
      <ul>
        <li><a href="/admin">Admin portal</a></li>
        <li><a href="/app">Company portal</a></li>
      </ul>
    </main>
  );
}

/** Mounts the dashboard with the app's QueryClient (loaded by main.tsx once the engine is on its way). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './App.tsx';
import { queryClient } from './trpc.ts';
import { navigateTo } from './url-state.ts';
import './styles.css';

// For DevTools and the bench (test/bench), beside main.tsx's `query`: `__dashboard.navigate('view=regional&year=2024')`
// goes where a link to that query string would.
(window as unknown as { __dashboard: { navigate?: typeof navigateTo } }).__dashboard.navigate = navigateTo;

document.documentElement.lang = localStorage.getItem('dashboard.lang') === 'en' ? 'en' : 'zh-CN';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

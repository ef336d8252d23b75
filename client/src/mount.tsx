/** Mounts the dashboard with the app's QueryClient (loaded by main.tsx once the engine is on its way). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './App.tsx';
import { queryClient } from './trpc.ts';
import './styles.css';

document.documentElement.lang = localStorage.getItem('dashboard.lang') === 'en' ? 'en' : 'zh-CN';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

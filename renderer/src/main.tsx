import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { createQueryClient } from './app/query-client.js';
import { startQueries } from './app/start-queries.js';
import './styles/app.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
const queryClient = createQueryClient();
startQueries(queryClient, window.location.hash);
createRoot(root).render(
  <StrictMode>
    <App client={queryClient} />
  </StrictMode>,
);

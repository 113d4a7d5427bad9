import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { getClient } from './api/client.js';
import { setApi } from './api/index.js';
import './style.css';

getClient()
  .then((client) => {
    setApi(client);
    createApp(App).use(createPinia()).mount('#app');
  })
  .catch((e: unknown) => {
    const root = document.getElementById('app');
    if (root !== null) {
      const p = document.createElement('p');
      p.setAttribute('role', 'alert');
      p.textContent = `HCLab cannot reach its service: ${e instanceof Error ? e.message : String(e)}`;
      root.replaceChildren(p);
    }
  });

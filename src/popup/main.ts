import { mount } from 'svelte';
import App from './App.svelte';
import '../ui/base.css';
import { localizeDocument } from '../ui/i18n';

localizeDocument('extensionName');

mount(App, { target: document.getElementById('app') as HTMLElement });

import { mount } from 'svelte';
import CallWindow from './CallWindow.svelte';
import '../ui/base.css';
import { localizeDocument } from '../ui/i18n';

localizeDocument('callWindowPageTitle');

mount(CallWindow, { target: document.getElementById('app') as HTMLElement });

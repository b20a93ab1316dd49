import { mount } from 'svelte';
import CallWindow from './CallWindow.svelte';
import '../ui/base.css';

mount(CallWindow, { target: document.getElementById('app') as HTMLElement });

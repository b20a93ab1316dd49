import { mount } from 'svelte';
import Permission from './Permission.svelte';
import '../ui/base.css';

mount(Permission, { target: document.getElementById('app') as HTMLElement });

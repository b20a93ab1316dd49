import { mount } from 'svelte';
import Options from './Options.svelte';
import '../ui/base.css';

mount(Options, { target: document.getElementById('app') as HTMLElement });

import { mount } from 'svelte';
import Onboarding from './Onboarding.svelte';
import { localizeDocument } from '../ui/i18n';
import '../ui/base.css';

localizeDocument('onboardingPageTitle');
mount(Onboarding, { target: document.getElementById('app') as HTMLElement });

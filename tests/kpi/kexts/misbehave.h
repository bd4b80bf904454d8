/* misbehave.h - names the misbehaving test kexts register (shared with their test). */
#ifndef MISBEHAVE_H
#define MISBEHAVE_H

#define MISBEHAVE_CTL_NAME "org.example.misbehave"
#define LEAKY_HELD_AT_START 2 /* mbufs the leaky kext keeps from its start routine */

#endif
